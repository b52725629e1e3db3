using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Texts;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Calendar;

/// <summary>
/// Reminders and notices of one event, as outbox items (SPEC §5): each reminder is a message due at
/// <c>start − offset</c>, delivered to every attendee by their notification preference and to every
/// team member by email, expiring when the event starts. Runs inside the caller's transaction. A reminder is in the
/// firm's own words for the reader's language when it wrote them (<paramref name="ownReminders"/>, by language; SPEC §13).
/// </summary>
sealed class EventMessages(CasewireDb db, Outbox outbox, string firmName, string? senderNumber, DateTimeOffset now, string companyLanguage = Languages.English,
    IReadOnlyDictionary<string, string>? ownReminders = null)
{
    /// <summary>One delivery of an event's message, in the reader's language (SPEC §13; team members read the company's).</summary>
    public sealed record Recipient(Channel Channel, string To, int? ContactId, int? TeamMemberId, string Language = Languages.English);

    /// <summary>The words of a notice or reminder in one language: the text and the email subject.</summary>
    public delegate (string Text, string Subject) Words(string language);

    public readonly record struct Requested(ReminderUnit Unit, int Amount)
    {
        public TimeSpan Offset => new Reminder { Unit = Unit, Amount = Amount }.Offset;
    }

    /// <summary>
    /// Makes the event's reminders those requested. A reminder whose start, recipients and words are
    /// unchanged is left alone (so one already sent is never sent again); a changed one is re-planned
    /// from the current start; one no longer requested is canceled.
    /// </summary>
    public async Task PlanRemindersAsync(CalendarEvent ev, IReadOnlyList<Requested> requested, bool replanAll, CancellationToken ct)
    {
        var live = ev.Reminders.Where(r => r.Status != ReminderStatus.Canceled).ToList();
        foreach (var wanted in requested.Distinct())
        {
            var reminder = live.FirstOrDefault(r => r.Unit == wanted.Unit && r.Amount == wanted.Amount);
            if (reminder is null)
            {
                reminder = new Reminder { Unit = wanted.Unit, Amount = wanted.Amount };
                ev.Reminders.Add(reminder);
                await db.SaveChangesAsync(ct); // its id names its outbox items
            }
            else
            {
                live.Remove(reminder);
                if (!replanAll && await IsCurrentAsync(ev, reminder, ct)) continue;
                await CancelAsync(ev, reminder, ReminderStatus.Canceled, "replanned", ct);
            }
            Plan(ev, reminder);
        }
        foreach (var removed in live) await CancelAsync(ev, removed, ReminderStatus.Canceled, "removed", ct);
    }

    /// <summary>The event is canceled: its pending reminders are too.</summary>
    public async Task CancelRemindersAsync(CalendarEvent ev, CancellationToken ct)
    {
        foreach (var reminder in ev.Reminders.Where(r => r.Status == ReminderStatus.Scheduled))
            await CancelAsync(ev, reminder, ReminderStatus.Canceled, "event-canceled", ct);
    }

    void Plan(CalendarEvent ev, Reminder reminder)
    {
        reminder.Status = ReminderStatus.Scheduled;
        reminder.Reason = null;
        reminder.MessageId = null;
        reminder.Message = null;
        reminder.SendAt = SendAtOf(ev, reminder);
        if (reminder.SendAt <= now)
        {
            // Kept, with the reason, so the integrator sees why nothing will be sent (SPEC §5).
            reminder.Status = ReminderStatus.Skipped;
            reminder.Reason = "past-due";
            return;
        }
        var recipients = RecipientsOf(ev, includeTeamMembers: true, companyLanguage);
        if (recipients.Count == 0)
        {
            reminder.Status = ReminderStatus.Skipped;
            reminder.Reason = "no-recipients";
            return;
        }
        reminder.Message = Compose(ev, MessageKind.Reminder, language => (ReminderText(ev, language), EventTexts.ReminderSubject(ev, language)),
            recipients, dueAt: reminder.SendAt, expiresAt: ev.StartAt, KeyOf(ev, reminder), Ics.For(ev, firmName, now));
    }

    /// <summary>True when the reminder's pending deliveries already say and reach what a new plan would.</summary>
    async Task<bool> IsCurrentAsync(CalendarEvent ev, Reminder reminder, CancellationToken ct)
    {
        if (reminder.Status == ReminderStatus.Skipped) return reminder.SendAt == SendAtOf(ev, reminder)
                                                              && (reminder.Reason != "no-recipients" || RecipientsOf(ev, true).Count == 0);
        if (reminder.MessageId is null) return false;
        var deliveries = await db.OutboxItems.Where(o => o.MessageId == reminder.MessageId).ToListAsync(ct);
        if (deliveries.Any(d => d.Status is not (DeliveryStatus.Pending or DeliveryStatus.Superseded or DeliveryStatus.Canceled)))
            return reminder.SendAt == SendAtOf(ev, reminder); // already sent for this start: never again
        var planned = deliveries.Where(d => d.Status == DeliveryStatus.Pending)
            .Select(d => (d.Channel, d.To, d.Body, d.DueAt)).OrderBy(d => d.Channel).ThenBy(d => d.To).ToList();
        var wanted = RecipientsOf(ev, true, companyLanguage)
            .Select(r => (r.Channel, r.To, Body: ReminderText(ev, r.Language), DueAt: SendAtOf(ev, reminder)))
            .OrderBy(d => d.Channel).ThenBy(d => d.To).ToList();
        return planned.SequenceEqual(wanted);
    }

    string ReminderText(CalendarEvent ev, string language) =>
        EventTexts.Reminder(ev, firmName, language, ownReminders?.GetValueOrDefault(Languages.Of(language) ?? Languages.English));

    async Task CancelAsync(CalendarEvent ev, Reminder reminder, ReminderStatus status, string reason, CancellationToken ct)
    {
        await outbox.CancelAsync(ev.CompanyId, KeyOf(ev, reminder), ct);
        if (reminder.Status == ReminderStatus.Scheduled || status == ReminderStatus.Canceled)
        {
            reminder.Status = status;
            reminder.Reason = reason;
        }
    }

    /// <summary>Tells the attendees now (created, rescheduled or canceled).</summary>
    public void Notify(CalendarEvent ev, Words words, bool canceled = false)
    {
        var recipients = RecipientsOf(ev, includeTeamMembers: false, companyLanguage);
        if (recipients.Count == 0) return;
        db.Messages.Add(Compose(ev, MessageKind.Notice, words, recipients, dueAt: now, expiresAt: canceled ? null : ev.StartAt,
            coalescingKey: null, Ics.For(ev, firmName, now, canceled)));
    }

    Message Compose(CalendarEvent ev, MessageKind kind, Words words, List<Recipient> recipients,
        DateTimeOffset dueAt, DateTimeOffset? expiresAt, string? coalescingKey, string ics)
    {
        // The conversation shows the message in the company's language; each delivery is in its reader's.
        var (text, subject) = words(Languages.For(null, companyLanguage));
        var message = new Message
        {
            CompanyId = ev.CompanyId, ProjectId = ev.ProjectId, Direction = MessageDirection.Outbound, Kind = kind,
            AuthorName = "Casewire", Text = text, Subject = subject, CreatedAt = now,
        };
        foreach (var r in recipients)
        {
            var (body, heading) = r.Language == Languages.For(null, companyLanguage) ? (text, subject) : words(r.Language);
            var item = new OutboxItem
            {
                CompanyId = ev.CompanyId, Message = message, Channel = r.Channel, To = r.To, Body = body, ContactId = r.ContactId,
                TeamMemberId = r.TeamMemberId, DueAt = dueAt, ExpiresAt = expiresAt, CoalescingKey = coalescingKey,
                Subject = r.Channel == Channel.Email ? heading : null, CalendarIcs = r.Channel == Channel.Email ? ics : null,
                From = r.Channel == Channel.Sms ? senderNumber : null,
            };
            message.Deliveries.Add(item);
            outbox.Enqueue(item);
        }
        return message;
    }

    /// <summary>Attendees by their notification preference; team members (for reminders) by email.</summary>
    static readonly IReadOnlySet<string> NoOptOuts = new HashSet<string>();

    public static List<Recipient> RecipientsOf(CalendarEvent ev, bool includeTeamMembers, string companyLanguage = Languages.English)
    {
        var recipients = new List<Recipient>();
        // Opt-outs are left to the dispatcher, which records a stopped number's text as suppressed.
        foreach (var contact in ev.Attendees.Select(a => a.Contact))
            foreach (var (channel, to) in ClientChannels.Of(contact, NoOptOuts))
                recipients.Add(new Recipient(channel, to, contact.Id, null, Languages.For(contact.Language, companyLanguage)));
        if (includeTeamMembers)
            foreach (var member in ev.Members.Select(m => m.TeamMember))
                recipients.Add(new Recipient(Channel.Email, member.Email, null, member.Id, Languages.For(null, companyLanguage)));
        return recipients.DistinctBy(r => (r.Channel, r.To)).ToList();
    }

    /// <summary>
    /// When a reminder is due. Days are calendar days in the event's zone — a 1-day reminder of a
    /// 9:00 hearing is at 9:00 the day before even across a DST change; hours and minutes are exact.
    /// </summary>
    public static DateTimeOffset SendAtOf(CalendarEvent ev, Reminder reminder)
    {
        if (reminder.Unit != ReminderUnit.Day) return ev.StartAt - reminder.Offset;
        var zone = Time.TimeZones.Resolve(ev.TimeZone) ?? NodaTime.DateTimeZone.Utc;
        var local = NodaTime.Instant.FromDateTimeOffset(ev.StartAt).InZone(zone).LocalDateTime.PlusDays(-reminder.Amount);
        return Time.EventTimes.ToInstant(local, zone).ToDateTimeOffset();
    }

    static string KeyOf(CalendarEvent ev, Reminder reminder) => $"event:{ev.Id}:reminder:{reminder.Id}";
}
