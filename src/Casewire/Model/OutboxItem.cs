namespace Casewire.Model;

/// <summary>
/// One thing that must leave Casewire: a text or email to one recipient, or one event to one
/// webhook endpoint, written in the same transaction as the change that causes it and sent by the dispatcher
/// when due (DESIGN.md). It is also the delivery record the delivery log and
/// <c>GET messages/{id}</c> show.
/// </summary>
sealed class OutboxItem : ICompanyOwned
{
    public long Id { get; set; }
    public int CompanyId { get; set; }
    public int? MessageId { get; set; }
    public Message? Message { get; set; }
    public Channel Channel { get; set; }
    /// <summary>E.164 number, email address or URL.</summary>
    public required string To { get; set; }
    /// <summary>Sender number or address; null means the provider's configured default.</summary>
    public string? From { get; set; }
    public string? Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>An RFC 5545 calendar (one VEVENT) sent with an email: reminders and event notices.</summary>
    public string? CalendarIcs { get; set; }
    /// <summary>The contact or team member it is for, when known.</summary>
    public int? ContactId { get; set; }
    public int? TeamMemberId { get; set; }
    /// <summary>For a webhook call: its endpoint, and the event's <c>webhook-id</c> (<c>msg_…</c>), the same on every retry.</summary>
    public int? WebhookEndpointId { get; set; }
    public WebhookEndpoint? WebhookEndpoint { get; set; }
    public string? WebhookId { get; set; }
    /// <summary>The mass message it is one recipient's delivery of (SPEC §12).</summary>
    public int? MassMessageId { get; set; }

    /// <summary>When it should leave (reminder time, delivery window…): lateness is measured from here.</summary>
    public DateTimeOffset DueAt { get; set; }
    /// <summary>When the dispatcher may next take it: DueAt at first, later moved by retries and rate shaping.</summary>
    public DateTimeOffset AvailableAt { get; set; }
    /// <summary>After this instant it is no longer worth sending (a reminder after its event started): expired.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>Items with the same key supersede each other (e.g. <c>project:7:phase</c>).</summary>
    public string? CoalescingKey { get; set; }

    public DeliveryStatus Status { get; set; } = DeliveryStatus.Pending;
    /// <summary>The dispatcher instance holding the item while <see cref="DeliveryStatus.Sending"/>.</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    /// <summary>
    /// Raised by every claim (SPEC §10): with <see cref="LeaseOwner"/>, the fence an outcome must pass, so a
    /// dispatcher whose lease ran out and was taken by another cannot record over the new holder.
    /// </summary>
    public int LeaseVersion { get; set; }
    public int Attempts { get; set; }

    public string? ProviderMessageId { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    /// <summary>SMS segments (GSM-7: 160/153 characters, UCS-2: 70/67).</summary>
    public int? Segments { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    public static bool IsFinal(DeliveryStatus status) => status is not (DeliveryStatus.Pending or DeliveryStatus.Sending or DeliveryStatus.Sent);

    /// <summary>
    /// A request's ending of this pending item (canceled, superseded) and when, kept in memory only: if a dispatcher
    /// claimed the item before the request saved, the save keeps the intent (<c>CasewireDb.SaveChangesAsync</c>).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Schema.NotMapped]
    public (DeliveryStatus Status, DateTimeOffset At)? Ending { get; private set; }

    /// <summary>Ends a pending item as <paramref name="status"/> (canceled, superseded) at <paramref name="now"/>; the caller saves.</summary>
    public void End(DeliveryStatus status, DateTimeOffset now)
    {
        Status = status;
        Ending = (status, now);
    }

    /// <summary>Its delivery ends as <paramref name="status"/> (sent, failed, suppressed…) and its lease is given up.</summary>
    public void Finish(DeliveryStatus status, string? code = null, string? message = null)
    {
        Status = status;
        LeaseOwner = null;
        LeaseExpiresAt = null;
        if (code is not null) ErrorCode = code;
        if (message is not null) ErrorMessage = Truncate(message);
    }

    /// <summary>Back in the queue, to be taken again at <paramref name="availableAt"/> (a retry, a deferral); its lease is given up.</summary>
    public void Release(DateTimeOffset availableAt)
    {
        Status = DeliveryStatus.Pending;
        AvailableAt = availableAt;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    /// <summary>
    /// Takes back the attempt its claim counted, for an item claimed but not sent after all (expired,
    /// suppressed, canceled or deferred); it is then finished or released.
    /// </summary>
    /// <remarks>
    /// The claim counts the attempt, in the same statement that leases the item, because that row is the
    /// only trace a crash leaves of an attempt that may have reached the provider: reconciliation numbers
    /// the attempt it records from this count, and a retry's backoff and give-up count it. Counting at
    /// the provider call instead would lose the attempt of a process that died mid-send.
    /// </remarks>
    public void Unclaim() => Attempts--;

    /// <summary>An error text cut to its column's 1000 characters.</summary>
    public static string? Truncate(string? text) => text is { Length: > 1000 } ? text[..1000] : text;
}

enum Channel
{
    Sms,
    Email,
    /// <summary>A signed event POSTed to a company's webhook endpoint (<see cref="OutboxItem.To"/> is its URL).</summary>
    Webhook,
}

/// <summary>The public names of <see cref="DeliveryStatus"/>: the API, the webhooks and the staff pages show these.</summary>
static class DeliveryStatusNames
{
    /// <summary>The delivery status names of SPEC §4: queued, sent, delivered, failed, suppressed (and the lifecycle's others).</summary>
    public static string PublicName(this DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending or DeliveryStatus.Sending => "queued",
        _ => status.ToString().ToLowerInvariant(),
    };
}

/// <summary>Where a delivery stands. Sent → Delivered/Failed arrive later from the provider's callbacks.</summary>
enum DeliveryStatus
{
    /// <summary>Waiting for its time (shown as "queued").</summary>
    Pending,
    /// <summary>Leased by a dispatcher; the provider is being called.</summary>
    Sending,
    Sent,
    Delivered,
    Failed,
    /// <summary>Not sent because the number opted out.</summary>
    Suppressed,
    Canceled,
    /// <summary>Replaced by a newer item with the same coalescing key before it was sent.</summary>
    Superseded,
    /// <summary>Its moment passed while Casewire could not send it (e.g. the event had started).</summary>
    Expired,
}

/// <summary>One call to a provider: recorded before the call, completed after (SPEC §7).</summary>
sealed class DeliveryAttempt
{
    public long Id { get; set; }
    public long OutboxItemId { get; set; }
    public int Number { get; set; }
    public required string Instance { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>Null while the call is under way, or forever if the process died during it.</summary>
    public AttemptOutcome? Outcome { get; set; }
    public string? ProviderMessageId { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}

enum AttemptOutcome
{
    Sent,
    TransientFailure,
    PermanentFailure,
    /// <summary>After a crash: the provider confirmed it had the message, so it was not sent again.</summary>
    Reconciled,
    /// <summary>
    /// The provider may or may not have the message (its answer was lost, or it could not be asked): the
    /// item's next claim asks it before anything is sent again (SPEC §10). Stored by name, within the column's 20 characters.
    /// </summary>
    Ambiguous,
    Suppressed,
    Expired,
}
