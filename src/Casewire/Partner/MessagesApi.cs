using System.Text.Json.Serialization;
using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Partner.Auth;
using Casewire.Partner.Json;
using Casewire.Time;
using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>SPEC §4: <c>POST /partner/v2/send-message</c>, plus <c>GET messages/{id}</c> and a project's conversation (§9).</summary>
public static class MessagesApi
{
    public sealed record SendMessageRequest(
        string? Text,
        /// <summary>The externalId of a project; wins over phoneNumber.</summary>
        [property: JsonConverter(typeof(IdStringConverter))] string? ProjectId,
        string? PhoneNumber,
        /// <summary>The CMS user id of a team member; unresolved → author CRM and a warning.</summary>
        [property: JsonConverter(typeof(IdStringConverter))] string? AuthorId);

    public sealed record AuthorResponse(string Kind, string Name, string? ExternalId);

    public sealed record RecipientResponse(
        long DeliveryId, string Channel, string Address, string Status, string? ContactExternalId,
        int? Segments, string? ProviderMessageId, string? ErrorCode, string? ErrorMessage, DateTimeOffset? SentAt,
        DateTimeOffset? DeliveredAt, IReadOnlyList<AttemptResponse>? Attempts);

    public sealed record AttemptResponse(int Number, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Outcome, string? ErrorCode, string? ErrorMessage);

    /// <param name="Phase">For milestone notifications: the phase it was sent for.</param>
    public sealed record MessageResponse(
        int Id, string? ProjectId, string Direction, string Kind, bool Automatic, ProjectsApi.PhaseRef? Phase, AuthorResponse Author, string Text, string? From,
        DateTimeOffset CreatedAt, IReadOnlyList<RecipientResponse> Recipients, IReadOnlyList<string>? Warnings);

    public static RouteGroupBuilder MapMessages(this RouteGroupBuilder api)
    {
        api.MapPost("/send-message", Send)
            .WithName("SendMessage").WithSummary("Send a message to a project's clients or to a phone number")
            .WithDescription("202 Accepted: the message is stored and will be delivered even if Casewire stops the next instant. " +
                             "With projectId it goes to every client (SMS, or email for a client without a reachable phone) and joins " +
                             "the project's conversation; with phoneNumber only, it is texted to that number and kept out of any conversation.")
            .WithIdempotency();
        api.MapGet("/messages/{id:int}", Get)
            .WithName("GetMessage").WithSummary("A message with the delivery status of each recipient and every attempt").MarkAsExtension();
        api.MapGet("/projects/{externalId}/messages", Conversation)
            .WithName("GetProjectMessages").WithSummary("A project's conversation, newest first, cursor-paginated").MarkAsExtension();
        return api;
    }

    static async Task<Results<Accepted<MessageResponse>, ValidationProblem, ProblemHttpResult>> Send(
        SendMessageRequest request, CasewireDb db, Tenant tenant, ExplicitMessages messages, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (ExplicitMessages.TextError("text", request.Text) is { } textError) errors.Add("text", textError);
        var projectId = string.IsNullOrWhiteSpace(request.ProjectId) ? null : request.ProjectId.Trim();
        string? phone = null;
        if (projectId is null)
        {
            if (string.IsNullOrWhiteSpace(request.PhoneNumber))
                errors.Add("projectId", "projectId (a project's externalId) or phoneNumber is required.");
            else phone = errors.Phone("phoneNumber", request.PhoneNumber, tenant.DefaultRegion);
        }
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), errors.Summary);

        var warnings = new List<string>();
        var member = await ResolveAuthorAsync(db, tenant.CompanyId, request.AuthorId, warnings, ct);
        var author = member is null ? ExplicitMessages.Author.Crm : ExplicitMessages.Author.Of(member);
        var sender = new ExplicitMessages.Sender(tenant.CompanyId, tenant.CompanyName, tenant.SenderNumber);
        // Milliseconds: what both databases keep, so the 202 and a later GET show the same instant.
        var now = time.GetUtcNow().TruncateToMilliseconds();

        ExplicitMessages.Outcome outcome;
        Project? project = null;
        if (projectId is not null)
        {
            project = await db.Projects.AsNoTracking()
                .Include(p => p.Clients.OrderBy(c => c.Position)).ThenInclude(c => c.Contact)
                .AsSplitQuery() // as one query, SQLite would join every project's clients to find this one's (QueryPlanTests)
                .FirstOrDefaultAsync(p => p.CompanyId == tenant.CompanyId && p.ExternalId == projectId, ct);
            if (project is null) return Problems.NotFound("project", projectId);
            outcome = await messages.ToProjectAsync(sender, project, request.Text!, author, now, ct);
        }
        else outcome = await messages.ToPhoneAsync(sender, phone!, request.Text!, author, now, ct);
        if (outcome.Message is not { } message)
            return NoReachableRecipient(outcome.Unreachable.Select(u => u.ContactExternalId is { } c
                ? (object)new { externalId = c, reason = u.Reason }
                : new { phoneNumber = u.PhoneNumber, reason = u.Reason }).ToList(), outcome.Refusal!);

        await db.SaveChangesAsync(ct);
        // Every delivery with a contact went to one of the project's clients, loaded above.
        var contacts = project?.Clients.ToDictionary(c => c.ContactId, c => c.Contact.ExternalId) ?? [];
        return TypedResults.Accepted($"/partner/v2/messages/{message.Id}",
            ToResponse(message, projectId, member?.ExternalId, contacts, [], withAttempts: false, warnings));
    }

    static async Task<TeamMember?> ResolveAuthorAsync(CasewireDb db, int companyId, string? authorId, List<string> warnings, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(authorId)) return null;
        var member = await db.TeamMembers.AsNoTracking()
            .FirstOrDefaultAsync(m => m.CompanyId == companyId && m.ExternalId == authorId.Trim(), ct);
        if (member is null)
            warnings.Add($"authorId '{FieldErrors.Shorten(authorId)}' is not a team member of this company, so the author is CRM. " +
                         "Add the member with PUT /partner/v2/team-members.");
        return member;
    }

    static ProblemHttpResult NoReachableRecipient(List<object> recipients, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity, title: "No reachable recipient", detail: detail,
        extensions: new Dictionary<string, object?> { ["recipients"] = recipients });

    static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> Get(int id, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var message = await db.Messages.AsNoTracking().Include(m => m.Deliveries).Include(m => m.Phase)
            .FirstOrDefaultAsync(m => m.Id == id && m.CompanyId == tenant.CompanyId, ct);
        if (message is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"No message with id {id} exists in this company.");
        var ids = message.Deliveries.Select(d => d.Id).ToList();
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.OutboxItemId)).OrderBy(a => a.Number).ToListAsync(ct);
        var (projectExternalId, authorExternalId) = await ReferencesAsync(db, message, ct);
        var contacts = await ContactExternalIdsAsync(db, message.Deliveries, ct);
        return TypedResults.Ok(ToResponse(message, projectExternalId, authorExternalId, contacts, attempts, withAttempts: true, warnings: null));
    }

    static async Task<Results<Ok<Page<MessageResponse>>, ValidationProblem, ProblemHttpResult>> Conversation(
        string externalId, int? limit, string? cursor, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, out var paging, out var errors))
            return TypedResults.ValidationProblem(errors.ToDictionary(), errors.Summary);
        var projectId = await db.Projects.Where(p => p.CompanyId == tenant.CompanyId && p.ExternalId == externalId)
            .Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
        if (projectId is null) return Problems.NotFound("project", externalId);

        var rows = await db.Messages.AsNoTracking().Include(m => m.Deliveries).Include(m => m.Phase)
            .Where(m => m.CompanyId == tenant.CompanyId && m.ProjectId == projectId && (paging.Cursor == 0 || m.Id < paging.Cursor))
            .OrderByDescending(m => m.Id).Take(paging.Limit + 1).AsSplitQuery().ToListAsync(ct);
        var authors = await db.TeamMembers.AsNoTracking()
            .Where(t => rows.Select(r => r.AuthorTeamMemberId).Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.ExternalId, ct);
        var contacts = await ContactExternalIdsAsync(db, rows.SelectMany(r => r.Deliveries), ct);
        return TypedResults.Ok(paging.ToPage(rows, m => m.Id, m => ToResponse(m, externalId,
            m.AuthorTeamMemberId is { } a ? authors.GetValueOrDefault(a) : null, contacts, [], withAttempts: false, warnings: null)));
    }

    static async Task<(string? Project, string? Author)> ReferencesAsync(CasewireDb db, Message message, CancellationToken ct)
    {
        var project = message.ProjectId is { } p ? await db.Projects.Where(x => x.Id == p).Select(x => x.ExternalId).FirstOrDefaultAsync(ct) : null;
        var author = message.AuthorTeamMemberId is { } a ? await db.TeamMembers.Where(x => x.Id == a).Select(x => x.ExternalId).FirstOrDefaultAsync(ct) : null;
        return (project, author);
    }

    static async Task<Dictionary<int, string>> ContactExternalIdsAsync(CasewireDb db, IEnumerable<OutboxItem> deliveries, CancellationToken ct)
    {
        var ids = deliveries.Where(d => d.ContactId is not null).Select(d => d.ContactId!.Value).Distinct().ToList();
        if (ids.Count == 0) return [];
        return await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.ExternalId, ct);
    }

    static MessageResponse ToResponse(
        Message m, string? projectExternalId, string? authorExternalId, Dictionary<int, string> contacts, List<DeliveryAttempt> attempts,
        bool withAttempts, IReadOnlyList<string>? warnings) => new(
        m.Id, projectExternalId, Lower(m.Direction), m.Kind.PublicName(), m.Kind.IsAutomatic(),
        m.Phase is null ? null : new ProjectsApi.PhaseRef(m.Phase.Step, m.Phase.Name),
        new AuthorResponse(m.AuthorKind(), m.AuthorName, authorExternalId), m.Text, m.FromAddress, m.CreatedAt,
        m.Deliveries.OrderBy(d => d.Id).Select(d => new RecipientResponse(
            d.Id, Lower(d.Channel), d.To, d.Status.PublicName(), d.ContactId is { } c ? contacts.GetValueOrDefault(c) : null,
            d.Segments, d.ProviderMessageId, d.ErrorCode, d.ErrorMessage, d.SentAt, d.DeliveredAt,
            withAttempts
                ? attempts.Where(a => a.OutboxItemId == d.Id).Select(a => new AttemptResponse(
                    a.Number, a.StartedAt, a.FinishedAt, a.Outcome is { } o ? Lower(o) : "in-flight", a.ErrorCode, a.ErrorMessage)).ToList()
                : null)).ToList(),
        warnings);

    static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
