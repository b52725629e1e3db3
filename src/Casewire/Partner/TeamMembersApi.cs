using Casewire.Data;
using Casewire.Model;
using Casewire.Partner.Auth;
using Casewire.Partner.Json;
using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>SPEC §4 extension: <c>PUT /partner/v2/team-members</c>, the firm's staff as the CMS knows them.</summary>
public static class TeamMembersApi
{
    public sealed record TeamMemberRequest(
        string? ExternalId, string? FirstName, string? LastName, string? Email, Optional<string?> Phone, Optional<string?> Title);

    public sealed record TeamMemberResponse(
        int Id, string ExternalId, string FirstName, string LastName, string Email, string? Phone, string? Title)
    {
        public static TeamMemberResponse From(TeamMember m) => new(m.Id, m.ExternalId, m.FirstName, m.LastName, m.Email, m.Phone, m.Title);
    }

    public static RouteGroupBuilder MapTeamMembers(this RouteGroupBuilder api)
    {
        api.MapPut("/team-members", Put)
            .WithName("PutTeamMember").WithSummary("Create or update a team member")
            .WithDescription("Keyed by externalId (the CMS user id) within the company: 201 when created, 200 when updated. " +
                             "Lets authorId, teamMembers and otherMembers resolve.")
            .MarkAsExtension();
        api.MapGet("/team-members/{externalId}", Get)
            .WithName("GetTeamMember").WithSummary("Get a team member by its externalId").MarkAsExtension();
        return api;
    }

    static async Task<Results<Created<TeamMemberResponse>, Ok<TeamMemberResponse>, ValidationProblem>> Put(
        TeamMemberRequest request, CasewireDb db, Tenant tenant, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var externalId = errors.Required("externalId", request.ExternalId, Limits.ExternalId);
        var firstName = errors.Required("firstName", request.FirstName, Limits.PersonName);
        var lastName = errors.Required("lastName", request.LastName, Limits.PersonName);
        var email = errors.Email("email", request.Email);
        if (email is null) errors.Add("email", "email is required: the address Casewire uses to reach this team member.");
        var phone = errors.Phone("phone", request.Phone.Value, tenant.DefaultRegion);
        var title = errors.Optional("title", request.Title.Value, Limits.Name);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), errors.Summary);

        return await Upsert.WithRetryAsync(db, async () =>
        {
            var member = await db.TeamMembers.FirstOrDefaultAsync(m => m.CompanyId == tenant.CompanyId && m.ExternalId == externalId, ct);
            var created = member is null;
            var now = time.GetUtcNow();
            member ??= db.TeamMembers.Add(new TeamMember
            {
                CompanyId = tenant.CompanyId, ExternalId = externalId, FirstName = firstName, LastName = lastName, Email = email!,
                CreatedAt = now,
            }).Entity;
            member.FirstName = firstName;
            member.LastName = lastName;
            member.Email = email!;
            member.Phone = request.Phone.IsSet ? phone : member.Phone;
            member.Title = request.Title.IsSet ? title : member.Title;
            if (db.Entry(member).State != EntityState.Unchanged) member.UpdatedAt = now;
            await db.SaveChangesAsync(ct);

            var body = TeamMemberResponse.From(member);
            return (Results<Created<TeamMemberResponse>, Ok<TeamMemberResponse>, ValidationProblem>)(created
                ? TypedResults.Created($"/partner/v2/team-members/{Uri.EscapeDataString(externalId)}", body)
                : TypedResults.Ok(body));
        });
    }

    static async Task<Results<Ok<TeamMemberResponse>, ProblemHttpResult>> Get(string externalId, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var member = await db.TeamMembers.AsNoTracking()
            .FirstOrDefaultAsync(m => m.CompanyId == tenant.CompanyId && m.ExternalId == externalId, ct);
        return member is null ? Problems.NotFound("team member", externalId) : TypedResults.Ok(TeamMemberResponse.From(member));
    }
}
