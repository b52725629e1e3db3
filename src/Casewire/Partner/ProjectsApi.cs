using System.Text.Json;
using Casewire.Data;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Partner.Auth;
using Casewire.Partner.Json;
using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using static Casewire.Partner.ContactsApi;

namespace Casewire.Partner;

/// <summary>SPEC §3: <c>PUT /partner/v2/projects</c>, plus the read extensions of §9.</summary>
public static class ProjectsApi
{
    public sealed record ProjectRequest(
        string? ExternalId,
        string? Name,
        string? PartnerPhaseName,
        /// <summary>Contact references: an id (number), an externalId (string), or {"id"} / {"externalId"}.</summary>
        List<JsonElement>? Clients,
        string? PartnerProjectTypeName,
        bool? MilestonesEnabled,
        string? Status);

    public sealed record ProjectTypeRef(int Id, string Name);
    public sealed record PhaseRef(int Step, string Name);

    public sealed record ProjectResponse(
        int Id, string ExternalId, string Name, int PhaseStep, IReadOnlyList<ContactResponse> Clients, ProjectTypeRef ProjectType,
        bool MilestonesEnabled, string Status, string PartnerPhaseName, PhaseRef? Phase);

    public static RouteGroupBuilder MapProjects(this RouteGroupBuilder api)
    {
        api.MapPut("/projects", Put)
            .WithName("PutProject").WithSummary("Create or update a project (case)")
            .WithDescription("Keyed by externalId within the token's company: 201 when created, 200 when updated. " +
                             "Unknown project types and phases are learned; clients must be existing contacts (else 422).");
        api.MapGet("/projects/{externalId}", Get)
            .WithName("GetProject").WithSummary("Get a project by its externalId").MarkAsExtension();
        api.MapGet("/projects", List)
            .WithName("ListProjects").WithSummary("List projects, oldest first, cursor-paginated").MarkAsExtension();
        return api;
    }

    static async Task<Results<Created<ProjectResponse>, Ok<ProjectResponse>, ValidationProblem, ProblemHttpResult>> Put(
        ProjectRequest request, CasewireDb db, Tenant tenant, TimeProvider time, PhaseEntries phases,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        var externalId = errors.Required("externalId", request.ExternalId, Limits.ExternalId);
        var name = errors.Required("name", request.Name, Limits.Name);
        var phaseName = errors.Required("partnerPhaseName", request.PartnerPhaseName, Limits.Name);
        var typeName = errors.Required("partnerProjectTypeName", request.PartnerProjectTypeName, Limits.Name);
        var references = ClientReference.ReadAll("clients", request.Clients, errors, required: true);
        if (request.MilestonesEnabled is null)
            errors.Add("milestonesEnabled", "milestonesEnabled is required: true or false.");
        var status = ProjectStatusField.Read(errors, request.Status);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), errors.Summary);

        var (clients, unresolved) = await ClientReference.ResolveAsync(db, tenant.CompanyId, references, ct);
        if (unresolved.Count > 0) return UnresolvedClients(unresolved);

        return await Upsert.InTransactionWithRetryAsync(db, async () =>
        {
            var now = time.GetUtcNow();
            var project = await db.Projects.Include(p => p.Clients)
                .FirstOrDefaultAsync(p => p.CompanyId == tenant.CompanyId && p.ExternalId == externalId, ct);
            var created = project is null;
            var before = MilestoneMessages.Before.Of(project);
            var placement = await CaseTrackers.PlaceAsync(db, tenant.CompanyId, typeName, phaseName, project, now, ct);

            project ??= db.Projects.Add(new Project
            {
                CompanyId = tenant.CompanyId, ExternalId = externalId, Name = name, PartnerPhaseName = phaseName, CreatedAt = now,
            }).Entity;
            var previousPhaseId = created ? null : project.PhaseId;
            project.Name = name;
            project.PartnerPhaseName = phaseName;
            project.MilestonesEnabled = request.MilestonesEnabled!.Value;
            project.Status = status!.Value;
            project.ProjectTypeId = placement.Type.Id;
            project.PhaseId = placement.Phase?.Id;
            SetClients(project, clients);
            if (db.ChangeTracker.HasChanges()) project.UpdatedAt = now;
            await db.SaveChangesAsync(ct);

            await phases.EnteredAsync(project, before, placement.Type, previousPhaseId, placement.Phase, clients, now, ct);
            await db.SaveChangesAsync(ct);

            var body = ToResponse(project, placement.Type, placement.Phase, clients);
            return created
                ? TypedResults.Created($"/partner/v2/projects/{Uri.EscapeDataString(externalId)}", body)
                : (Results<Created<ProjectResponse>, Ok<ProjectResponse>, ValidationProblem, ProblemHttpResult>)TypedResults.Ok(body);
        }, ct);
    }

    /// <summary>Makes the project's clients exactly <paramref name="clients"/>, in order, touching only what changed.</summary>
    static void SetClients(Project project, List<Contact> clients)
    {
        project.Clients.RemoveAll(pc => !clients.Any(c => c.Id == pc.ContactId));
        for (var position = 0; position < clients.Count; position++)
        {
            var link = project.Clients.FirstOrDefault(pc => pc.ContactId == clients[position].Id);
            if (link is null) project.Clients.Add(new ProjectClient { ContactId = clients[position].Id, Position = position });
            else if (link.Position != position) link.Position = position;
        }
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

    static ProjectResponse ToResponse(Project project, ProjectType type, Phase? phase, IEnumerable<Contact> clients) => new(
        project.Id, project.ExternalId, project.Name, phase?.Step ?? 0,
        clients.Select(ContactResponse.From).ToList(),
        new ProjectTypeRef(type.Id, type.Name),
        project.MilestonesEnabled, project.Status.Canonical(), project.PartnerPhaseName,
        phase is null ? null : new PhaseRef(phase.Step, phase.Name));

    static IQueryable<Project> WithDetails(this IQueryable<Project> projects) => projects.AsNoTracking()
        .Include(p => p.ProjectType).Include(p => p.Phase)
        .Include(p => p.Clients.OrderBy(c => c.Position)).ThenInclude(c => c.Contact)
        .AsSplitQuery();

    static ProjectResponse ToResponse(Project project) =>
        ToResponse(project, project.ProjectType, project.Phase, project.Clients.OrderBy(c => c.Position).Select(c => c.Contact));

    static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> Get(string externalId, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var project = await db.Projects.WithDetails()
            .FirstOrDefaultAsync(p => p.CompanyId == tenant.CompanyId && p.ExternalId == externalId, ct);
        return project is null ? Problems.NotFound("project", externalId) : TypedResults.Ok(ToResponse(project));
    }

    static async Task<Results<Ok<Page<ProjectResponse>>, ValidationProblem>> List(
        int? limit, string? cursor, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, out var paging, out var errors))
            return TypedResults.ValidationProblem(errors.ToDictionary(), errors.Summary);
        var rows = await db.Projects.WithDetails()
            .Where(p => p.CompanyId == tenant.CompanyId && p.Id > paging.Cursor)
            .OrderBy(p => p.Id).Take(paging.Limit + 1).ToListAsync(ct);
        return TypedResults.Ok(paging.ToPage(rows, p => p.Id, ToResponse));
    }
}

/// <summary>Reads a project's status for the Partner API (SPEC §3), naming the accepted spellings when it cannot.</summary>
static class ProjectStatusField
{
    public static ProjectStatus? Read(FieldErrors errors, string? value)
    {
        var status = ProjectStatusNames.Parse(value);
        if (status is null)
            errors.Add("status", string.IsNullOrWhiteSpace(value)
                ? "status is required: one of \"Not Started\", \"In Progress\", \"Completed\"."
                : $"status '{FieldErrors.Shorten(value)}' is not one of \"Not Started\", \"In Progress\", \"Completed\".");
        return status;
    }
}
