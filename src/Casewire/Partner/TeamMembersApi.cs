using Casewire.Data;
using Casewire.Model;
using Casewire.Partner.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

using PutTeamMemberResult = Results<Created<TeamMemberResponse>, Ok<TeamMemberResponse>, ValidationProblem>;

sealed record TeamMemberResponse(
    int Id, string ExternalId, string FirstName, string LastName, string Email, string? Phone, string? Title)
{
    public static TeamMemberResponse From(TeamMember m) => new(m.Id, m.ExternalId, m.FirstName, m.LastName, m.Email, m.Phone, m.Title);
}

/// <summary>SPEC §4 extension: <c>PUT /partner/v2/team-members</c>, the firm's staff as the CMS knows them.</summary>
static class TeamMembersApi
{
    public static RouteGroupBuilder MapTeamMembers(this RouteGroupBuilder api)
    {
        api.MapPut("/team-members", Put)
            .WithName("PutTeamMember").WithSummary("Create or update a team member")
            .WithDescription("Keyed by externalId (the CMS user id) within the company: 201 when created, 200 when updated. " +
                             "Lets authorId, teamMembers and otherMembers resolve.")
            .MarkAsExtension();
        api.MapGet("/team-members/{externalId}", Get)
            .WithName("GetTeamMember").ProducesProblems(StatusCodes.Status404NotFound).WithSummary("Get a team member by its externalId").MarkAsExtension();
        return api;
    }

    static async Task<PutTeamMemberResult> Put(TeamMemberRequest request, CasewireDb db, Tenant tenant, TimeProvider time, CancellationToken ct)
    {
        if (!request.TryRead(tenant.DefaultRegion, out var input, out var errors)) return Problems.Invalid(errors);

        return await Upsert.WithRetryAsync<PutTeamMemberResult>(db, async () =>
        {
            var member = await db.TeamMembers.ForCompany(tenant.CompanyId).FirstOrDefaultAsync(m => m.ExternalId == input.ExternalId, ct);
            var created = member is null;
            var now = time.GetUtcNow();
            member ??= db.TeamMembers.Add(new TeamMember
            {
                CompanyId = tenant.CompanyId, ExternalId = input.ExternalId, FirstName = input.FirstName, LastName = input.LastName,
                Email = input.Email, CreatedAt = now,
            }).Entity;
            input.ApplyTo(member);
            if (db.Entry(member).State != EntityState.Unchanged) member.UpdatedAt = now;
            await db.SaveChangesAsync(ct);

            var body = TeamMemberResponse.From(member);
            return created
                ? TypedResults.Created($"/partner/v2/team-members/{Uri.EscapeDataString(input.ExternalId)}", body)
                : TypedResults.Ok(body);
        });
    }

    static async Task<Results<Ok<TeamMemberResponse>, ProblemHttpResult>> Get(string externalId, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var member = await db.TeamMembers.AsNoTracking().ForCompany(tenant.CompanyId).FirstOrDefaultAsync(m => m.ExternalId == externalId, ct);
        return member is null ? Problems.NotFound("team member", externalId) : TypedResults.Ok(TeamMemberResponse.From(member));
    }
}
