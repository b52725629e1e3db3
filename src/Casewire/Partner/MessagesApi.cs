using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Partner.Auth;
using Casewire.Time;
using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>SPEC §4: <c>POST /partner/v2/send-message</c>, plus <c>GET messages/{id}</c> and a project's conversation (§9).</summary>
static class MessagesApi
{
    public static RouteGroupBuilder MapMessages(this RouteGroupBuilder api)
    {
        api.MapPost("/send-message", Send)
            .WithName("SendMessage").WithSummary("Send a message to a project's clients or to a phone number")
            .WithDescription("202 Accepted: the message is stored and will be delivered even if Casewire stops the next instant. " +
                             "With projectId it goes to every client (SMS, or email for a client without a reachable phone) and joins " +
                             "the project's conversation; with phoneNumber only, it is texted to that number and kept out of any conversation.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
            .WithIdempotency();
        api.MapGet("/messages/{id:int}", Get)
            .WithName("GetMessage").ProducesProblems(StatusCodes.Status404NotFound).WithSummary("A message with the delivery status of each recipient and every attempt").MarkAsExtension();
        api.MapGet("/projects/{externalId}/messages", Conversation)
            .WithName("GetProjectMessages").ProducesProblems(StatusCodes.Status404NotFound).WithSummary("A project's conversation, newest first, cursor-paginated").MarkAsExtension();
        return api;
    }

    static async Task<Results<Accepted<MessageResponse>, ValidationProblem, ProblemHttpResult>> Send(
        SendMessageRequest request, CasewireDb db, Tenant tenant, ExplicitMessages messages, TimeProvider time, CancellationToken ct)
    {
        if (!request.TryRead(tenant.DefaultRegion, out var input, out var errors)) return Problems.Invalid(errors);

        await using var connection = await db.HoldConnectionAsync(ct);
        var warnings = new List<string>();
        var member = await ResolveAuthorAsync(db, tenant.CompanyId, input.AuthorId, warnings, ct);
        var author = member is null ? ExplicitMessages.Author.Crm : ExplicitMessages.Author.Of(member);
        var sender = new ExplicitMessages.Sender(tenant.CompanyId, tenant.CompanyName, tenant.SenderNumber);
        // Milliseconds: what both databases keep, so the 202 and a later GET show the same instant.
        var now = time.GetUtcNow().TruncateToMilliseconds();

        ExplicitMessages.Outcome outcome;
        Project? project = null;
        if (input.ProjectId is { } projectId)
        {
            project = await db.Projects.AsNoTracking().ForCompany(tenant.CompanyId)
                .Include(p => p.Clients.OrderBy(c => c.Position)).ThenInclude(c => c.Contact)
                .AsSplitQuery() // as one query, SQLite would join every project's clients to find this one's (QueryPlanTests)
                .FirstOrDefaultAsync(p => p.ExternalId == projectId, ct);
            if (project is null) return Problems.NotFound("project", projectId);
            outcome = await messages.ToProjectAsync(sender, project, input.Text, author, now, ct);
        }
        else outcome = await messages.ToPhoneAsync(sender, input.Phone!, input.Text, author, now, ct);
        if (outcome.Message is not { } message) return NoReachableRecipient(outcome);

        await db.SaveChangesAsync(ct);
        // Every delivery with a contact went to one of the project's clients, loaded above.
        var contacts = project?.Clients.ToDictionary(c => c.ContactId, c => c.Contact.ExternalId) ?? [];
        return TypedResults.Accepted($"/partner/v2/messages/{message.Id}",
            MessageResponse.Of(message, input.ProjectId, member?.ExternalId, contacts, [], withAttempts: false, warnings));
    }

    static async Task<TeamMember?> ResolveAuthorAsync(CasewireDb db, int companyId, string? authorId, List<string> warnings, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(authorId)) return null;
        var member = await db.TeamMembers.AsNoTracking().ForCompany(companyId).FirstOrDefaultAsync(m => m.ExternalId == authorId.Trim(), ct);
        if (member is null)
            warnings.Add($"authorId '{FieldErrors.Shorten(authorId)}' is not a team member of this company, so the author is CRM. " +
                         "Add the member with PUT /partner/v2/team-members.");
        return member;
    }

    static ProblemHttpResult NoReachableRecipient(ExplicitMessages.Outcome outcome) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity, title: "No reachable recipient", detail: outcome.Refusal!,
        extensions: new Dictionary<string, object?>
        {
            ["recipients"] = outcome.Unreachable.Select(u => u.ContactExternalId is { } c
                ? (object)new { externalId = c, reason = u.Reason }
                : new { phoneNumber = u.PhoneNumber, reason = u.Reason }).ToList(),
        });

    static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> Get(int id, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var message = await db.Messages.AsNoTracking().Include(m => m.Deliveries).Include(m => m.Phase)
            .ForCompany(tenant.CompanyId).FirstOrDefaultAsync(m => m.Id == id, ct);
        if (message is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"No message with id {id} exists in this company.");
        var ids = message.Deliveries.Select(d => d.Id).ToList();
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.OutboxItemId)).OrderBy(a => a.Number).ToListAsync(ct);
        var (projectExternalId, authorExternalId) = await ReferencesAsync(db, message, ct);
        var contacts = await ContactExternalIdsAsync(db, message.Deliveries, ct);
        return TypedResults.Ok(MessageResponse.Of(message, projectExternalId, authorExternalId, contacts, attempts, withAttempts: true, warnings: null));
    }

    static async Task<Results<Ok<Page<MessageResponse>>, ValidationProblem, ProblemHttpResult>> Conversation(
        string externalId, int? limit, string? cursor, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, out var paging, out var errors)) return Problems.Invalid(errors);
        var projectId = await db.Projects.ForCompany(tenant.CompanyId).Where(p => p.ExternalId == externalId)
            .Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
        if (projectId is null) return Problems.NotFound("project", externalId);

        var rows = await db.Messages.AsNoTracking().Include(m => m.Deliveries).Include(m => m.Phase).ForCompany(tenant.CompanyId)
            .Where(m => m.ProjectId == projectId && (paging.Cursor == 0 || m.Id < paging.Cursor))
            .OrderByDescending(m => m.Id).Take(paging.Limit + 1).AsSplitQuery().ToListAsync(ct);
        var authors = await db.TeamMembers.AsNoTracking()
            .Where(t => rows.Select(r => r.AuthorTeamMemberId).Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.ExternalId, ct);
        var contacts = await ContactExternalIdsAsync(db, rows.SelectMany(r => r.Deliveries), ct);
        return TypedResults.Ok(paging.ToPage(rows, m => m.Id, m => MessageResponse.Of(m, externalId,
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
}
