using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Casewire.Delivery;
using Casewire.Partner.Json;
using Casewire.Validation;

namespace Casewire.Partner;

/// <summary>The body of <c>POST /partner/v2/send-message</c> (SPEC §4).</summary>
sealed record SendMessageRequest(
    [property: ApiRequired] string? Text,
    // The externalId of a project; wins over phoneNumber.
    [property: JsonConverter(typeof(IdStringConverter)),
               Description("The project's externalId: the message goes to its clients. One of projectId or phoneNumber is required; projectId wins.")]
    string? ProjectId,
    [property: Description("A phone number (E.164) to text when no projectId is given; the message joins no conversation.")]
    string? PhoneNumber,
    // The CMS user id of a team member; unresolved → author CRM and a warning.
    [property: JsonConverter(typeof(IdStringConverter)),
               Description("The externalId of the team member writing; unknown or absent, the author is CRM (with a warning when unknown).")]
    string? AuthorId)
{
    /// <summary>Reads and checks every field; the errors are keyed by the field at fault.</summary>
    public bool TryRead(string region, [NotNullWhen(true)] out SendMessageInput? message, out FieldErrors errors)
    {
        errors = new FieldErrors();
        if (ExplicitMessages.TextError("text", Text) is { } textError) errors.Add("text", textError);
        var projectId = string.IsNullOrWhiteSpace(ProjectId) ? null : ProjectId.Trim();
        string? phone = null;
        if (projectId is null)
        {
            if (string.IsNullOrWhiteSpace(PhoneNumber))
                errors.Add("projectId", "projectId (a project's externalId) or phoneNumber is required.");
            else phone = errors.Phone("phoneNumber", PhoneNumber, region);
        }
        message = errors.Any ? null : new SendMessageInput(Text!, projectId, phone, AuthorId);
        return message is not null;
    }
}

/// <summary>
/// A send-message request once read: to the project <paramref name="ProjectId"/> (trimmed) when given, else to
/// <paramref name="Phone"/> (E.164). <paramref name="AuthorId"/> is as sent: an unknown one is a warning, not an error.
/// </summary>
sealed record SendMessageInput(string Text, string? ProjectId, string? Phone, string? AuthorId);
