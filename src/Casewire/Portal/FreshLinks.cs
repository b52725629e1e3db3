using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Portal;

/// <summary>
/// "Send me a new link", offered on an expired link only. Safe because the new link goes nowhere the
/// visitor chooses: only to the phone or email the firm has for the client the old link named, by their
/// notification preference (a number that texted STOP gets email, or nothing). Never for a revoked link —
/// a firm that rotated its links did so because they leaked — and at most once a day per client and case,
/// so an old forwarded text cannot be used to pester the client.
/// </summary>
sealed class FreshLinks(CasewireDb db, Outbox outbox, ShortLinks links, TimeProvider time)
{
    static readonly TimeSpan OncePer = TimeSpan.FromDays(1);

    /// <summary>Queues the new link unless one went out in the last day; true when queued. The caller saves.</summary>
    public async Task<bool> SendAsync(PortalClient client, CancellationToken ct)
    {
        var (company, project, contact) = client;
        var now = time.GetUtcNow().TruncateToMilliseconds();
        var key = $"portal-link:{project.Id}:{contact.Id}";
        var since = now - OncePer;
        if (await db.OutboxItems.ForCompany(company.Id).AnyAsync(o => o.CoalescingKey == key && o.CreatedAt > since, ct)) return false;

        var optedOut = contact.Phone is null ? [] : await db.OptOuts
            .ForCompany(company.Id).Where(o => o.Phone == contact.Phone && o.Active).Select(o => o.Phone).ToListAsync(ct);
        var channels = ClientChannels.Of(contact, optedOut.ToHashSet());
        if (channels.Count == 0) return false;

        var text = $"{company.Name}: here is your new link to follow {project.Name}: {links.Issue(company, project.Id, contact.Id)}";
        var subject = $"{company.Name}: {project.Name}";
        var message = new Message
        {
            // An automatic answer to the client's own request, like the answer to HELP.
            CompanyId = company.Id, ProjectId = project.Id, Direction = MessageDirection.Outbound, Kind = MessageKind.Help,
            AuthorName = "Casewire", Text = text, Subject = subject.Length <= Limits.Name ? subject : subject[..Limits.Name], CreatedAt = now,
        };
        foreach (var (channel, to) in channels)
        {
            var item = new OutboxItem
            {
                CompanyId = company.Id, Message = message, Channel = channel, To = to, Body = text, ContactId = contact.Id, CoalescingKey = key,
                Subject = channel == Channel.Email ? message.Subject : null, From = channel == Channel.Sms ? company.SenderNumber : null,
            };
            message.Deliveries.Add(item);
            outbox.Enqueue(item);
        }
        db.Messages.Add(message);
        return true;
    }
}
