using Casewire.Data;
using Casewire.MassMessages;
using Casewire.Model;
using Casewire.Partner.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>SPEC §12 (extension): <c>/partner/v2/mass-messages</c> — one text to every client a filter matches, each once.</summary>
static class MassMessagesApi
{
    public static RouteGroupBuilder MapMassMessages(this RouteGroupBuilder api)
    {
        api.MapPost("/mass-messages", Send)
            .WithName("SendMassMessage").WithSummary("Send one text to every client of the projects a filter matches")
            .WithDescription("202 Accepted: the mass message and one outbox item per recipient are stored in one transaction. " +
                             "Each client receives it at most once, on their preferred channel; opted-out and unreachable clients and " +
                             "repeat matches are skipped and counted. The text takes the milestone placeholders ({client.firstName}, " +
                             "{project.name}, {phase.name}, {company.name}, {portal.link}). An empty filter is refused.")
            .WithIdempotency().ProducesProblem(StatusCodes.Status422UnprocessableEntity).MarkAsExtension().WithMassMessageExamples();
        api.MapGet("/mass-messages", List)
            .WithName("ListMassMessages").WithSummary("The company's mass messages, newest first, cursor-paginated").MarkAsExtension();
        api.MapGet("/mass-messages/{id:int}", Get)
            .WithName("GetMassMessage").WithSummary("A mass message with its deliveries counted by status").MarkAsExtension();
        api.MapDelete("/mass-messages/{id:int}", Cancel)
            .WithName("CancelMassMessage").WithSummary("Cancel what of a mass message has not gone out")
            .WithDescription("204: its deliveries still queued are canceled; those already sent stay sent.").MarkAsExtension();
        return api;
    }

    static async Task<Results<Accepted<MassMessageResponse>, ValidationProblem, ProblemHttpResult>> Send(
        MassMessageRequest request, CasewireDb db, Tenant tenant, MassMessageWriter writer, TimeProvider time, CancellationToken ct)
    {
        if (!request.TryRead(out var input, out var errors)) return Problems.Invalid(errors);
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == tenant.CompanyId, ct);
        var now = time.GetUtcNow();
        var dueAt = MassMessageWriter.DueAt(company, input.SendAt, input.WithinDeliveryWindow, now);
        var outcome = await writer.SendAsync(company,
            new MassMessageWriter.Draft(input.Template, input.Filter, dueAt, input.WithinDeliveryWindow, input.KeepOutOfConversations),
            "CRM", staffUserId: null, ct);
        if (outcome.MassMessage is not { } mass)
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No reachable recipient",
                detail: outcome.Audience.Skipped.Count == 0
                    ? "The filter matches no client of this company."
                    : "Every client the filter matches is skipped: opted out of texts without an email, or without phone and email.",
                extensions: new Dictionary<string, object?>
                {
                    ["skipped"] = new MassMessageResponse.SkippedCounts(outcome.Audience.OptedOut, outcome.Audience.Unreachable, outcome.Audience.Duplicate),
                });
        var counts = MassMessage.CountedStatuses.ToDictionary(s => s, s => s == "queued" ? outcome.Deliveries : 0);
        return TypedResults.Accepted($"{PartnerApi.BasePath}/mass-messages/{mass.Id}", MassMessageResponse.Of(mass, counts, now));
    }

    static async Task<Results<Ok<MassMessageResponse>, ProblemHttpResult>> Get(int id, CasewireDb db, Tenant tenant, TimeProvider time, CancellationToken ct)
    {
        var mass = await db.MassMessages.AsNoTracking().ForCompany(tenant.CompanyId).FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mass is null) return NotFound(id);
        var counts = await MassMessageCounts.OfAsync(db, tenant.CompanyId, [id], ct);
        return TypedResults.Ok(MassMessageResponse.Of(mass, counts[id], time.GetUtcNow()));
    }

    static async Task<Results<Ok<Page<MassMessageResponse>>, ValidationProblem>> List(
        int? limit, string? cursor, CasewireDb db, Tenant tenant, TimeProvider time, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, out var paging, out var errors)) return Problems.Invalid(errors);
        var rows = await db.MassMessages.AsNoTracking().ForCompany(tenant.CompanyId)
            .Where(m => paging.Cursor == 0 || m.Id < paging.Cursor)
            .OrderByDescending(m => m.Id).Take(paging.Limit + 1).ToListAsync(ct);
        var counts = await MassMessageCounts.OfAsync(db, tenant.CompanyId, rows.Take(paging.Limit).Select(m => m.Id).ToList(), ct);
        var now = time.GetUtcNow();
        return TypedResults.Ok(paging.ToPage(rows, m => m.Id, m => MassMessageResponse.Of(m, counts.GetValueOrDefault(m.Id) ?? [], now)));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Cancel(int id, CasewireDb db, Tenant tenant, MassMessageWriter writer, CancellationToken ct)
    {
        var mass = await db.MassMessages.ForCompany(tenant.CompanyId).FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mass is null) return NotFound(id);
        await writer.CancelAsync(mass, ct);
        return TypedResults.NoContent();
    }

    static ProblemHttpResult NotFound(int id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
        detail: $"No mass message with id {id} exists in this company.");
}
