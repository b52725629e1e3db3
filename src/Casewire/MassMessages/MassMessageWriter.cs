using Casewire.Data;
using Casewire.Delivery;
using Casewire.Delivery.Webhooks;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;

namespace Casewire.MassMessages;

/// <summary>
/// Writes a mass message (SPEC §12) — what <c>POST /partner/v2/mass-messages</c> and the Company App's composer both
/// do — and cancels one. Each recipient gets their own <see cref="Message"/> (the text rendered for them, with the
/// milestone placeholders of SPEC §6) and one outbox item per channel, tagged with the mass message; they are
/// saved in batches, all in one transaction with the mass message (the caller's, when it has one), so a failure
/// leaves nothing behind and 10,000 recipients do not sit in one change tracker.
/// </summary>
sealed class MassMessageWriter(CasewireDb db, Outbox outbox, Audience audience, ShortLinks links, WebhookEvents events, TimeProvider time)
{
    const int BatchSize = 500;

    /// <summary>What to send, read and checked: <paramref name="Template"/> parsed, <paramref name="DueAt"/> resolved.</summary>
    public sealed record Draft(Template Template, MassMessageFilter Filter, DateTimeOffset DueAt, bool WithinDeliveryWindow, bool KeepOutOfConversations);

    /// <summary>The mass message written (null when nobody could be reached: then nothing was), and whom it skipped.</summary>
    public sealed record Outcome(MassMessage? MassMessage, Audience.Result Audience, int Deliveries);

    /// <summary>
    /// When a mass message is due: <paramref name="sendAt"/> (a wall-clock time is read in the company's zone; a past
    /// time is now), or now; moved to the next opening of the company's delivery window when asked.
    /// </summary>
    public static DateTimeOffset DueAt(Company company, EventTimes.Parsed? sendAt, bool withinDeliveryWindow, DateTimeOffset now)
    {
        var at = sendAt switch
        {
            EventTimes.Absolute a => a.Value.ToInstant().ToDateTimeOffset(),
            EventTimes.Local l => EventTimes.ToInstant(l.Value, TimeZones.Resolve(company.TimeZone) ?? NodaTime.DateTimeZone.Utc).ToDateTimeOffset(),
            _ => now,
        };
        if (at < now) at = now;
        if (withinDeliveryWindow && company.DeliveryWindow == DeliveryWindow.Immediate)
            return at; // the firm chose "immediately" for its window
        return withinDeliveryWindow ? BusinessHours.DeliverAt(company, at) : at;
    }

    public async Task<Outcome> SendAsync(Company company, Draft draft, string authorName, int? staffUserId, CancellationToken ct)
    {
        var now = time.GetUtcNow().TruncateToMilliseconds();
        var reached = await audience.ResolveAsync(company.Id, draft.Filter, ct);
        if (reached.Recipients.Count == 0) return new Outcome(null, reached, 0);

        var mass = new MassMessage
        {
            CompanyId = company.Id, Text = draft.Template.Text.Trim(), Filter = draft.Filter.ToJson(), SendAt = draft.DueAt.TruncateToMilliseconds(),
            WithinDeliveryWindow = draft.WithinDeliveryWindow, KeepOutOfConversations = draft.KeepOutOfConversations,
            Recipients = reached.Recipients.Count, SkippedOptedOut = reached.OptedOut, SkippedUnreachable = reached.Unreachable,
            SkippedDuplicate = reached.Duplicate, AuthorName = Cut(authorName), AuthorStaffUserId = staffUserId, CreatedAt = now,
        };
        var deliveries = 0;

        // Joins the Idempotency-Key filter's transaction when there is one; otherwise it is this method's own.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        db.MassMessages.Add(mass);
        await db.SaveChangesAsync(ct);
        foreach (var batch in reached.Recipients.Chunk(BatchSize))
        {
            var messages = new List<Message>(batch.Length);
            var items = new List<(Message Message, OutboxItem Item)>(batch.Length * 2);
            foreach (var recipient in batch)
            {
                var (client, project) = (recipient.Contact, recipient.Project);
                var text = draft.Template.Render(new TemplateValues(client.FirstName, client.LastName, project.Name, project.PhaseName,
                    company.Name, draft.Template.PortalLink(() => links.Issue(company, project.Id, client.Id))));
                var message = new Message
                {
                    CompanyId = company.Id, ProjectId = draft.KeepOutOfConversations ? null : project.Id, Direction = MessageDirection.Outbound,
                    Kind = MessageKind.Explicit, AuthorName = mass.AuthorName, AuthorStaffUserId = staffUserId, Text = text,
                    Subject = Cut($"{company.Name}: {project.Name}"), CreatedAt = now,
                };
                messages.Add(message);
                foreach (var (channel, to) in recipient.Channels)
                    items.Add((message, new OutboxItem
                    {
                        CompanyId = company.Id, Channel = channel, To = to, Body = text, ContactId = client.Id,
                        Subject = channel == Channel.Email ? message.Subject : null, From = channel == Channel.Sms ? company.SenderNumber : null,
                        DueAt = mass.SendAt, MassMessageId = mass.Id,
                    }));
            }
            // Thousands of rows: written set-based, untracked (BulkInserts); the short links the texts carry through EF.
            await BulkInserts.InsertAsync(db, messages, ct);
            foreach (var (message, item) in items) item.MessageId = message.Id;
            await outbox.EnqueueManyAsync(items.Select(i => i.Item).ToList(), ct);
            deliveries += items.Count;
            var issued = db.ChangeTracker.Entries<PortalShortLink>().ToList(); // none when the text has no {portal.link}
            if (issued.Count > 0)
            {
                await db.SaveChangesAsync(ct);
                foreach (var link in issued) link.State = EntityState.Detached; // keeps each save small
            }
        }
        if (transaction is not null) await transaction.CommitAsync(ct);
        return new Outcome(mass, reached, deliveries);
    }

    /// <summary>
    /// Cancels what of <paramref name="mass"/> has not gone out: its pending deliveries become canceled; those sent or
    /// being sent stay as they are. Marks it canceled when something was; completes it when nothing is left. The caller saves.
    /// </summary>
    public async Task<int> CancelAsync(MassMessage mass, CancellationToken ct)
    {
        var now = time.GetUtcNow().TruncateToMilliseconds();
        var pending = await db.OutboxItems.ForCompany(mass.CompanyId)
            .Where(o => o.MassMessageId == mass.Id && o.Status == DeliveryStatus.Pending).ToListAsync(ct);
        foreach (var item in pending) item.End(DeliveryStatus.Canceled, now);
        if (pending.Count > 0 && mass.CanceledAt is null && mass.CompletedAt is null) mass.CanceledAt = now;
        await db.SaveChangesAsync(ct);
        await events.CompleteMassMessagesAsync([mass.Id], [], ct);
        await db.SaveChangesAsync(ct);
        return pending.Count;
    }

    static string Cut(string text) => text.Length <= Limits.Name ? text : text[..Limits.Name];
}
