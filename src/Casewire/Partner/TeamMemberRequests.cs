using System.Diagnostics.CodeAnalysis;
using Casewire.Model;
using Casewire.Partner.Json;
using Casewire.Validation;

namespace Casewire.Partner;

/// <summary>The body of <c>PUT /partner/v2/team-members</c> (SPEC §4 extension).</summary>
sealed record TeamMemberRequest(
    [property: ApiRequired] string? ExternalId,
    [property: ApiRequired] string? FirstName,
    [property: ApiRequired] string? LastName,
    [property: ApiRequired] string? Email,
    Optional<string?> Phone,
    Optional<string?> Title)
{
    /// <summary>Reads and checks every field; the errors are keyed by the field at fault.</summary>
    public bool TryRead(string region, [NotNullWhen(true)] out TeamMemberInput? member, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var externalId = errors.Required("externalId", ExternalId, Limits.ExternalId);
        var firstName = errors.Required("firstName", FirstName, Limits.PersonName);
        var lastName = errors.Required("lastName", LastName, Limits.PersonName);
        var email = errors.Email("email", Email);
        if (email is null) errors.Add("email", "email is required: the address Casewire uses to reach this team member.");
        var phone = errors.Phone("phone", Phone.Value, region);
        var title = errors.Optional("title", Title.Value, Limits.Name);
        member = errors.Any
            ? null
            : new TeamMemberInput(externalId, firstName, lastName, email!, Phone.As(phone), Title.As(title));
        return member is not null;
    }
}

/// <summary>A team member request once read: names trimmed, the phone in E.164, the optional fields set only when sent.</summary>
sealed record TeamMemberInput(
    string ExternalId, string FirstName, string LastName, string Email, Optional<string?> Phone, Optional<string?> Title)
{
    /// <summary>Absent keeps the stored value, null clears it (SPEC §1).</summary>
    public void ApplyTo(TeamMember member)
    {
        member.FirstName = FirstName;
        member.LastName = LastName;
        member.Email = Email;
        member.Phone = Phone.Or(member.Phone);
        member.Title = Title.Or(member.Title);
    }
}
