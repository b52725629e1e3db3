using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Feedback;

/// <summary>
/// The firm's Net Promoter Score (SPEC §13): over the answers received in the last 90 days, the percentage of
/// promoters (9–10) minus the percentage of detractors (0–6), rounded to a whole number; null with no answers.
/// The response rate is answered over asked, among the surveys sent in the same 90 days. The trend gives the
/// same score per calendar month (company time) for the last six months. For the company, or one project type.
/// </summary>
static class NpsReport
{
    public const int WindowDays = 90;
    public const int TrendMonths = 6;

    public sealed record Month(YearMonth Of, int? Nps, int Responses);

    public sealed record Summary(int? Nps, int Responses, int Promoters, int Passives, int Detractors, int Sent, int Answered,
        IReadOnlyList<Month> Trend)
    {
        /// <summary>Whole percent of the surveys sent in the window that were answered; null when none was sent.</summary>
        public int? ResponseRate => Sent == 0 ? null : (int)Math.Round(100.0 * Answered / Sent, MidpointRounding.AwayFromZero);
    }

    /// <summary>Promoters% − detractors% of the scores; null for none.</summary>
    public static int? Score(IReadOnlyCollection<int> scores) => scores.Count == 0
        ? null
        : (int)Math.Round(100.0 * (scores.Count(Survey.IsPromoter) - scores.Count(Survey.IsDetractor)) / scores.Count, MidpointRounding.AwayFromZero);

    public static async Task<Summary> ReadAsync(CasewireDb db, int companyId, int? projectTypeId, DateTimeZone zone, DateTimeOffset now,
        CancellationToken ct)
    {
        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        var firstMonth = new YearMonth(today.Year, today.Month).PlusMonths(1 - TrendMonths);
        var trendFrom = firstMonth.OnDayOfMonth(1).AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset(); // UTC: PostgreSQL takes no other offset
        var windowFrom = now - TimeSpan.FromDays(WindowDays);
        var from = trendFrom < windowFrom ? trendFrom : windowFrom;

        var surveys = db.Surveys.AsNoTracking().ForCompany(companyId);
        if (projectTypeId is { } typeId) surveys = surveys.Where(s => s.Project!.ProjectTypeId == typeId);
        var answers = await surveys.Where(s => s.Score != null && s.AnsweredAt >= from && s.AnsweredAt <= now)
            .Select(s => new { Score = s.Score!.Value, At = s.AnsweredAt!.Value }).ToListAsync(ct);
        var sent = await surveys.Where(s => s.SentAt >= windowFrom && s.SentAt <= now)
            .Select(s => new { Answered = s.Score != null }).ToListAsync(ct);

        var recent = answers.Where(a => a.At >= windowFrom).Select(a => a.Score).ToList();
        var byMonth = answers.Where(a => a.At >= trendFrom)
            .GroupBy(a => { var d = Instant.FromDateTimeOffset(a.At).InZone(zone).Date; return new YearMonth(d.Year, d.Month); })
            .ToDictionary(g => g.Key, g => g.Select(a => a.Score).ToList());
        var trend = Enumerable.Range(0, TrendMonths).Select(i => firstMonth.PlusMonths(i))
            .Select(month => byMonth.TryGetValue(month, out var s) ? new Month(month, Score(s), s.Count) : new Month(month, null, 0))
            .ToList();
        return new Summary(Score(recent), recent.Count, recent.Count(Survey.IsPromoter), recent.Count(s => !Survey.IsPromoter(s) && !Survey.IsDetractor(s)),
            recent.Count(Survey.IsDetractor), sent.Count, sent.Count(s => s.Answered), trend);
    }
}
