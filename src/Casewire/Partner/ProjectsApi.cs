using Casewire.Data;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Partner.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

using PutProjectResult = Results<Created<ProjectResponse>, Ok<ProjectResponse>, ValidationProblem, ProblemHttpResult>;

sealed record ProjectTypeRef(int Id, string Name);
sealed record PhaseRef(int Step, string Name);

sealed record ProjectResponse(
    int Id, string ExternalId, string Name, int PhaseStep, IReadOnlyList<ContactResponse> Clients, ProjectTypeRef ProjectType,
    bool MilestonesEnabled, string Status, string PartnerPhaseName, PhaseRef? Phase)
{
    public static ProjectResponse From(Project project, ProjectType type, Phase? phase, IEnumerable<Contact> clients) => new(
        project.Id, project.ExternalId, project.Name, phase?.Step ?? 0,
        clients.Select(ContactResponse.From).ToList(),
        new ProjectTypeRef(type.Id, type.Name),
        project.MilestonesEnabled, project.Status.Canonical(), project.PartnerPhaseName,
        phase is null ? null : new PhaseRef(phase.Step, phase.Name));

    /// <summary>A project loaded <see cref="ProjectsApi.WithDetails"/>.</summary>
    public static ProjectResponse From(Project project) =>
        From(project, project.ProjectType, project.Phase, project.Clients.OrderBy(c => c.Position).Select(c => c.Contact));
}

/// <summary>SPEC §3: <c>PUT /partner/v2/projects</c>, plus the read extensions of §9.</summary>
static class ProjectsApi
{
    public static RouteGroupBuilder MapProjects(this RouteGroupBuilder api)
    {
        api.MapPut("/projects", Put)
            .WithName("PutProject").WithSummary("Create or update a project (case)")
            .WithDescription("Keyed by externalId within the token's company: 201 when created, 200 when updated. " +
                             "Unknown project types and phases are learned; clients must be existing contacts (else 422).")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/projects/{externalId}", Get)
            .WithName("GetProject").WithSummary("Get a project by its externalId").ProducesProblems(StatusCodes.Status404NotFound).MarkAsExtension();
        api.MapGet("/projects", List)
            .WithName("ListProjects").WithSummary("List projects, oldest first, cursor-paginated").MarkAsExtension();
        return api;
    }

    static async Task<PutProjectResult> Put(
        ProjectRequest request, CasewireDb db, Tenant tenant, TimeProvider time, PhaseEntries phases, CancellationToken ct)
    {
        if (!request.TryRead(out var input, out var errors)) return Problems.Invalid(errors);
        await using var connection = await db.HoldConnectionAsync(ct);
        var (clients, unresolved) = await ClientReference.ResolveAsync(db, tenant.CompanyId, input.Clients, ct);
        if (unresolved.Count > 0) return UnresolvedClients(unresolved);

        return await Upsert.InTransactionWithRetryAsync<PutProjectResult>(db, async () =>
        {
            var now = time.GetUtcNow();
            // Two PUTs of one project take turns from here (SPEC §10): the second reads what the first wrote,
            // so only one of them records the phase change and raises project.phase_changed.
            await db.LockProjectAsync(tenant.CompanyId, input.ExternalId, ct);
            var project = await db.Projects.ForCompany(tenant.CompanyId).Include(p => p.Clients)
                .FirstOrDefaultAsync(p => p.ExternalId == input.ExternalId, ct);
            var created = project is null;
            var before = MilestoneMessages.Before.Of(project);
            var (type, phase, _) = await CaseTrackers.PlaceAsync(db, tenant.CompanyId, input.TypeName, input.PhaseName, project, now, ct);

            project ??= db.Projects.Add(new Project
            {
                CompanyId = tenant.CompanyId, ExternalId = input.ExternalId, Name = input.Name, PartnerPhaseName = input.PhaseName, CreatedAt = now,
            }).Entity;
            var previousPhaseId = created ? null : project.PhaseId;
            input.ApplyTo(project, type, phase, clients);
            if (created || db.ChangeTracker.HasChanges()) project.UpdatedAt = now;
            await db.SaveChangesAsync(ct);

            await phases.EnteredAsync(project, before, type, previousPhaseId, phase, clients, now, ct);
            await db.SaveChangesAsync(ct);

            var body = ProjectResponse.From(project, type, phase, clients);
            return created ? TypedResults.Created($"/partner/v2/projects/{Uri.EscapeDataString(input.ExternalId)}", body) : TypedResults.Ok(body);
        }, ct);
    }

    static ProblemHttpResult UnresolvedClients(List<(int Index, ClientReference Reference)> unresolved) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            ["clients"] = unresolved.Select(u => $"clients[{u.Index}]: no contact with {u.Reference} exists in this company; " +
                                                 "create it first with PUT /partner/v2/contacts.").ToArray(),
        })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Unknown clients",
            Detail = $"{unresolved.Count} client reference{(unresolved.Count == 1 ? "" : "s")} did not resolve to a contact.",
        });

    /// <summary>A project with what its response shows: type, phase and clients in order.</summary>
    internal static IQueryable<Project> WithDetails(this IQueryable<Project> projects) => projects.AsNoTracking()
        .Include(p => p.ProjectType).Include(p => p.Phase)
        .Include(p => p.Clients.OrderBy(c => c.Position)).ThenInclude(c => c.Contact)
        .AsSplitQuery();

    static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> Get(string externalId, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var project = await db.Projects.ForCompany(tenant.CompanyId).WithDetails().FirstOrDefaultAsync(p => p.ExternalId == externalId, ct);
        return project is null ? Problems.NotFound("project", externalId) : TypedResults.Ok(ProjectResponse.From(project));
    }

    static async Task<Results<Ok<Page<ProjectResponse>>, ValidationProblem>> List(
        int? limit, string? cursor, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, out var paging, out var errors)) return Problems.Invalid(errors);
        var rows = await db.Projects.ForCompany(tenant.CompanyId).WithDetails()
            .Where(p => p.Id > paging.Cursor)
            .OrderBy(p => p.Id).Take(paging.Limit + 1).ToListAsync(ct);
        return TypedResults.Ok(paging.ToPage(rows, p => p.Id, ProjectResponse.From));
    }
}
