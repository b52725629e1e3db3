using System.Text.Encodings.Web;
using System.Text.Json;
using Casewire.Data;
using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery.Webhooks;

/// <summary>
/// Raises webhook events: one outbox item per enabled endpoint of the company whose filter takes the
/// event, added to the caller's unit of work so it commits with the change that caused it (the
/// outbox rule, DESIGN.md). Every item of one event carries the same <c>webhook-id</c>; retries
/// resend the item, so they carry it too. The payloads (<see cref="WebhookPayloads"/>) are built here.
/// </summary>
sealed partial class WebhookEvents(CasewireDb db, Outbox outbox, TimeProvider time)
{
    /// <summary>Payloads as sent: camelCase, nulls kept (a type always has the same fields), '+' and accents unescaped.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    sealed record Subscriber(int Id, string Url, string? Events);

    /// <summary>The Standard Webhooks envelope: what happened, when, and its data.</summary>
    public sealed record Envelope(string Type, DateTimeOffset Timestamp, object Data);

    /// <summary>Enabled endpoints per company, read once per unit of work (a request, a dispatcher round).</summary>
    readonly Dictionary<int, List<Subscriber>> _subscribers = [];

    /// <summary>Enqueues <paramref name="type"/> with <paramref name="data"/> for each endpoint of the company that takes it; returns how many.</summary>
    public async Task<int> RaiseAsync(int companyId, string type, object data, CancellationToken ct)
    {
        var endpoints = (await SubscribersAsync(companyId, ct)).Where(e => WebhookEventTypes.Matches(e.Events, type)).ToList();
        if (endpoints.Count == 0) return 0;
        var now = time.GetUtcNow().TruncateToMilliseconds();
        var body = JsonSerializer.Serialize(new Envelope(type, now, data), Json);
        var id = WebhookSignature.NewId(now);
        foreach (var endpoint in endpoints)
            outbox.Enqueue(new OutboxItem
            {
                CompanyId = companyId, Channel = Channel.Webhook, To = endpoint.Url, Body = body,
                WebhookEndpointId = endpoint.Id, WebhookId = id,
            });
        return endpoints.Count;
    }

    /// <summary>True when some enabled endpoint of the company takes <paramref name="type"/> (to skip building a payload nobody wants).</summary>
    public async Task<bool> IsWantedAsync(int companyId, string type, CancellationToken ct) =>
        (await SubscribersAsync(companyId, ct)).Any(e => WebhookEventTypes.Matches(e.Events, type));

    async Task<List<Subscriber>> SubscribersAsync(int companyId, CancellationToken ct)
    {
        if (!_subscribers.ContainsKey(companyId)) await LoadSubscribersAsync([companyId], ct);
        return _subscribers[companyId];
    }

    /// <summary>Reads the endpoints of several companies in one query (a dispatcher round touches many).</summary>
    async Task LoadSubscribersAsync(IReadOnlyCollection<int> companyIds, CancellationToken ct)
    {
        var missing = companyIds.Where(id => !_subscribers.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0) return;
        var rows = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => EF.Parameter(missing).Contains(e.CompanyId) && e.DisabledAt == null)
            .Select(e => new { e.CompanyId, Subscriber = new Subscriber(e.Id, e.Url, e.Events) })
            .ToListAsync(ct);
        foreach (var id in missing)
            _subscribers[id] = rows.Where(r => r.CompanyId == id).Select(r => r.Subscriber).OrderBy(s => s.Id).ToList();
    }

    // ---- contact.opted_out / contact.opted_in ----

    /// <summary>A number opted out (STOP, or the carrier said so) or back in (START).</summary>
    public async Task OptOutChangedAsync(int companyId, string phone, bool optedOut, string keyword, CancellationToken ct)
    {
        var type = optedOut ? WebhookEventTypes.ContactOptedOut : WebhookEventTypes.ContactOptedIn;
        if (!await IsWantedAsync(companyId, type, ct)) return;
        var contacts = await db.Contacts.AsNoTracking().ForCompany(companyId).Where(c => c.Phone == phone)
            .OrderBy(c => c.Id).Select(c => new WebhookPayloads.ContactRef(c.Id, c.ExternalId)).ToListAsync(ct);
        var carrier = keyword.Equals("carrier", StringComparison.OrdinalIgnoreCase);
        await RaiseAsync(companyId, type, new WebhookPayloads.OptOutChanged(
            phone, carrier ? "carrier" : "keyword", carrier ? null : keyword.Trim().ToUpperInvariant(), contacts), ct);
    }

    // ---- message.received ----

    /// <summary>
    /// A client wrote (an inbound text; later a portal reply): <paramref name="message"/> must be saved
    /// (it needs its id), in the caller's transaction. <paramref name="channel"/> is how it came: <c>sms</c>, <c>portal</c>.
    /// </summary>
    public async Task MessageReceivedAsync(Message message, string channel, CancellationToken ct)
    {
        if (!await IsWantedAsync(message.CompanyId, WebhookEventTypes.MessageReceived, ct)) return;
        var project = message.ProjectId is { } p
            ? await db.Projects.AsNoTracking().Where(x => x.Id == p).Select(x => x.ExternalId).FirstOrDefaultAsync(ct)
            : null;
        var contact = message.AuthorContactId is { } c
            ? await db.Contacts.AsNoTracking().Where(x => x.Id == c).Select(x => x.ExternalId).FirstOrDefaultAsync(ct)
            : null;
        await RaiseAsync(message.CompanyId, WebhookEventTypes.MessageReceived, new WebhookPayloads.MessageReceived(
            message.Id, project, channel, message.FromAddress, contact, message.AuthorName, message.Text, message.CreatedAt), ct);
    }

    // ---- project.phase_changed ----

    /// <summary>An existing project entered another mapped phase (a new project's first phase is not a change).</summary>
    public async Task PhaseChangedAsync(Project project, ProjectType type, int? previousPhaseId, Phase phase, CancellationToken ct)
    {
        if (!await IsWantedAsync(project.CompanyId, WebhookEventTypes.ProjectPhaseChanged, ct)) return;
        var previous = previousPhaseId is null ? null : await db.Phases.AsNoTracking().Where(x => x.Id == previousPhaseId)
            .Select(x => new WebhookPayloads.PhaseRef(x.Step, x.Name)).FirstOrDefaultAsync(ct);
        await RaiseAsync(project.CompanyId, WebhookEventTypes.ProjectPhaseChanged, new WebhookPayloads.PhaseChanged(
            project.ExternalId, project.Name, new WebhookPayloads.ProjectTypeRef(type.Id, type.Name), project.PartnerPhaseName,
            previous, new WebhookPayloads.PhaseRef(phase.Step, phase.Name)), ct);
    }
}
