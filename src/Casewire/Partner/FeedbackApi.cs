using System.Globalization;
using Casewire.Data;
using Casewire.Feedback;
using Casewire.Partner.Auth;
using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>
/// SPEC §13 extension: <c>GET /partner/v2/feedback?since=…</c>, the clients' survey answers of the token's company,
/// cursor-paginated by id (oldest first); <c>since</c> (an ISO 8601 instant) keeps those received at or after it.
/// </summary>
static class FeedbackApi
{
    public static RouteGroupBuilder MapFeedback(this RouteGroupBuilder api)
    {
        api.MapGet("/feedback", List)
            .WithName("ListFeedback").WithSummary("List clients' survey answers (NPS scores), cursor-paginated")
            .WithDescription("Each item: id, projectId and contactId (your external ids), score 0–10, comment, receivedAt, trigger " +
                             "(completion or phase:{name}) and channel (sms or portal). since: an ISO 8601 instant, e.g. 2026-01-01T00:00:00Z.")
            .MarkAsExtension();
        return api;
    }

    static async Task<Results<Ok<Page<FeedbackItem>>, ValidationProblem>> List(
        string? since, int? limit, string? cursor, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var ok = Paging.TryRead(limit, cursor, out var paging, out var errors);
        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (DateTimeOffset.TryParse(since.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) from = parsed;
            else
            {
                errors.Add("since", $"since '{FieldErrors.Shorten(since)}' is not an ISO 8601 instant; use e.g. 2026-01-01T00:00:00Z.");
                ok = false;
            }
        }
        if (!ok) return Problems.Invalid(errors);
        var answered = db.Surveys.AsNoTracking().ForCompany(tenant.CompanyId).Where(s => s.Score != null && s.Id > paging.Cursor);
        if (from is { } f) answered = answered.Where(s => s.AnsweredAt >= f);
        var rows = await answered.OrderBy(s => s.Id).Take(paging.Limit + 1)
            .Select(s => new { Survey = s, Project = s.Project!.ExternalId, Contact = s.Contact!.ExternalId })
            .ToListAsync(ct);
        return TypedResults.Ok(paging.ToPage(rows, r => r.Survey.Id, r => FeedbackItem.From(r.Survey, r.Project, r.Contact)));
    }
}
