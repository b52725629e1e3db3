using Casewire.Data;
using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.CompanyApp;

/// <summary>
/// What the landing page answers (SPEC §8): what goes out next, what went out lately, what failed,
/// which clients wrote, and which CMS phase names no phase maps. Every query is scoped to one company.
/// </summary>
static class Dashboard
{
    public const int ChartDays = 14;
    public const int FailureDays = 7;
    public const int ListLength = 5;

    public sealed record Summary(
        int Queued, int Scheduled, IReadOnlyList<UpcomingReminder> Reminders, DeliveryChart Chart,
        int FailureCount, IReadOnlyList<Failure> Failures, int UnreadCount, IReadOnlyList<Reply> UnreadReplies,
        IReadOnlyList<Unmapped> UnmappedPhases);

    public sealed record UpcomingReminder(DateTimeOffset SendAt, string Event, string EventTime, int ProjectId, string? Project, IReadOnlyList<string> Clients);

    public sealed record Failure(long Id, DateTimeOffset At, Channel Channel, string To, string? ErrorCode, string? ErrorMessage, int? ProjectId, string? Project);

    public sealed record Reply(int Id, DateTimeOffset At, string Author, string Text, int? ProjectId, string? Project);

    public sealed record Unmapped(string Name, string ProjectType, int TimesSeen, DateTimeOffset LastSeenAt);

    public static async Task<Summary> ReadAsync(CasewireDb db, int companyId, CompanyTime time, DateTimeOffset now, CancellationToken ct)
    {
        // Deliveries to clients; webhook calls to the firm's integration are counted by their own log.
        var pending = db.OutboxItems.ForCompany(companyId).Where(o => o.Channel != Channel.Webhook
                                                && (o.Status == DeliveryStatus.Pending || o.Status == DeliveryStatus.Sending));
        // In flight counts as queued: it is leaving now.
        var queued = await pending.CountAsync(o => o.Status == DeliveryStatus.Sending || o.DueAt <= now, ct);
        var scheduled = await pending.CountAsync(o => o.Status == DeliveryStatus.Pending && o.DueAt > now, ct);

        var failures = await FailuresSinceAsync(db, companyId, now - TimeSpan.FromDays(FailureDays), ct);
        var unread = db.Messages.ForCompany(companyId).Where(m => m.Direction == MessageDirection.Inbound && m.ReadAt == null);
        var replies = await unread.OrderByDescending(m => m.Id).Take(ListLength)
            .Select(m => new Reply(m.Id, m.CreatedAt, m.AuthorName, m.Text, m.ProjectId,
                db.Projects.Where(p => p.Id == m.ProjectId).Select(p => p.Name).FirstOrDefault()))
            .ToListAsync(ct);

        return new Summary(queued, scheduled, await NextRemindersAsync(db, companyId, ct), await ChartAsync(db, companyId, time, now, ct),
            failures.Count, failures.Take(ListLength).ToList(), await unread.CountAsync(ct), replies, await UnmappedPhasesAsync(db, companyId, ct));
    }

    /// <summary>The next reminders still to be sent, soonest first, with their event and who attends it.</summary>
    static async Task<List<UpcomingReminder>> NextRemindersAsync(CasewireDb db, int companyId, CancellationToken ct)
    {
        var next = await db.Reminders
            .Where(r => r.Status == ReminderStatus.Scheduled
                        && db.OutboxItems.Any(o => o.MessageId == r.MessageId && o.Status == DeliveryStatus.Pending))
            .Join(db.CalendarEvents.ForCompany(companyId).Where(e => e.CanceledAt == null), r => r.EventId, e => e.Id,
                (r, e) => new { r.SendAt, EventId = e.Id, e.Title, e.StartAt, e.TimeZone, e.ProjectId })
            .OrderBy(x => x.SendAt).Take(ListLength)
            .ToListAsync(ct);
        var eventIds = next.Select(x => x.EventId).Distinct().ToList();
        var attendees = (await db.EventAttendees.Where(a => eventIds.Contains(a.EventId))
                .Select(a => new { a.EventId, a.Contact.FirstName, a.Contact.LastName }).ToListAsync(ct))
            .ToLookup(a => a.EventId, a => $"{a.FirstName} {a.LastName}");
        var projectIds = next.Select(x => x.ProjectId).Distinct().ToList();
        var projects = await db.Projects.ForCompany(companyId).Where(p => projectIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return next.Select(x => new UpcomingReminder(x.SendAt, x.Title,
                EventTimes.Describe(Instant.FromDateTimeOffset(x.StartAt), TimeZones.Resolve(x.TimeZone) ?? DateTimeZone.Utc),
                x.ProjectId, projects.GetValueOrDefault(x.ProjectId), attendees[x.EventId].ToList()))
            .ToList();
    }

    /// <summary>Failed deliveries that failed at or after <paramref name="since"/>, newest first.</summary>
    // A failure after sending dates from the send; one that never left, from its last attempt. The dispatcher
    // gives up within a day of the due time, so items due more than two days earlier are not looked at.
    static async Task<List<Failure>> FailuresSinceAsync(CasewireDb db, int companyId, DateTimeOffset since, CancellationToken ct)
    {
        var dueSince = since - TimeSpan.FromDays(2);
        var rows = await db.OutboxItems
            .ForCompany(companyId).Where(o => o.Status == DeliveryStatus.Failed && o.Channel != Channel.Webhook
                        && (o.SentAt >= since || (o.SentAt == null && o.DueAt >= dueSince)))
            .Select(o => new
            {
                o.Id, o.SentAt, o.DueAt, o.Channel, o.To, o.ErrorCode, o.ErrorMessage, o.Message!.ProjectId,
                Project = db.Projects.Where(p => p.Id == o.Message.ProjectId).Select(p => p.Name).FirstOrDefault(),
                LastAttempt = db.DeliveryAttempts.Where(a => a.OutboxItemId == o.Id).OrderByDescending(a => a.Number)
                    .Select(a => a.FinishedAt ?? (DateTimeOffset?)a.StartedAt).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows
            .Select(r => new Failure(r.Id, r.SentAt ?? r.LastAttempt ?? r.DueAt, r.Channel, r.To, r.ErrorCode,
                r.ErrorMessage, r.ProjectId, r.Project))
            .Where(f => f.At >= since)
            .OrderByDescending(f => f.At).ThenByDescending(f => f.Id)
            .ToList();
    }

    static async Task<DeliveryChart> ChartAsync(CasewireDb db, int companyId, CompanyTime time, DateTimeOffset now, CancellationToken ct)
    {
        var today = time.DateOf(now);
        var first = today.PlusDays(1 - ChartDays);
        var (from, until) = (time.StartOf(first), time.StartOf(today.PlusDays(1)));

        var left = await db.OutboxItems
            .ForCompany(companyId).Where(o => o.SentAt >= from && o.SentAt < until && o.Status != DeliveryStatus.Failed
                        && o.Channel != Channel.Webhook)
            .Select(o => new { o.Status, SentAt = o.SentAt!.Value })
            .ToListAsync(ct);
        var failed = (await FailuresSinceAsync(db, companyId, from, ct)).Where(f => f.At < until);

        var sent = left.Where(o => o.Status != DeliveryStatus.Delivered).CountBy(o => time.DateOf(o.SentAt)).ToDictionary();
        var delivered = left.Where(o => o.Status == DeliveryStatus.Delivered).CountBy(o => time.DateOf(o.SentAt)).ToDictionary();
        var failures = failed.CountBy(f => time.DateOf(f.At)).ToDictionary();
        return new DeliveryChart(Enumerable.Range(0, ChartDays).Select(i => first.PlusDays(i))
            .Select(d => new DeliveryChart.Day(d, sent.GetValueOrDefault(d), delivered.GetValueOrDefault(d), failures.GetValueOrDefault(d)))
            .ToList());
    }

    /// <summary>CMS phase names a locked project type could not place, that no phase has been given since.</summary>
    static Task<List<Unmapped>> UnmappedPhasesAsync(CasewireDb db, int companyId, CancellationToken ct) =>
        db.UnmappedPhaseNames
            .Join(db.ProjectTypes.ForCompany(companyId), u => u.ProjectTypeId, t => t.Id, (u, t) => new { u, t.Name })
            .Where(x => !db.PhaseTriggers.Any(p => p.ProjectTypeId == x.u.ProjectTypeId && p.NormalizedName == x.u.NormalizedName))
            .OrderByDescending(x => x.u.LastSeenAt).Take(20)
            .Select(x => new Unmapped(x.u.Name, x.Name, x.u.TimesSeen, x.u.LastSeenAt))
            .ToListAsync(ct);
}
