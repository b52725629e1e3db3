namespace Casewire.Model;

/// <summary>
/// One text sent to many clients at once (SPEC §12): the clients its filter matched, each once, each
/// with their own outbox item(s) tagged with its id (<see cref="OutboxItem.MassMessageId"/>), written in
/// the same transaction. What it counts is fixed when it is accepted; the deliveries carry the rest.
/// </summary>
sealed class MassMessage : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>The text as written, placeholders and all; each client's message holds it rendered for them.</summary>
    public required string Text { get; set; }
    /// <summary>The filter as given, as JSON (shown back by the API and used by "copy" in the Company App).</summary>
    public required string Filter { get; set; }
    /// <summary>When its items are due (now, a chosen time, or the next opening of the delivery window).</summary>
    public DateTimeOffset SendAt { get; set; }
    /// <summary>Whether the due time was moved into the company's delivery window.</summary>
    public bool WithinDeliveryWindow { get; set; }
    /// <summary>True keeps the texts out of the projects' conversations (the published phoneNumber semantics).</summary>
    public bool KeepOutOfConversations { get; set; }
    /// <summary>Clients who were sent (or will be sent) it.</summary>
    public int Recipients { get; set; }
    /// <summary>Clients skipped: their only channel is a number that opted out.</summary>
    public int SkippedOptedOut { get; set; }
    /// <summary>Clients skipped: neither a phone nor an email.</summary>
    public int SkippedUnreachable { get; set; }
    /// <summary>Matches of a client already counted on another matching project.</summary>
    public int SkippedDuplicate { get; set; }
    /// <summary>Who sent it: "CRM" for the API, a staff user's name in the Company App.</summary>
    public required string AuthorName { get; set; }
    public int? AuthorStaffUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }
    /// <summary>When every item had left the queue (<c>mass_message.completed</c> was raised then).</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>scheduled, sending, completed or canceled: what the API, the staff pages and the webhook show.</summary>
    public string StatusAt(DateTimeOffset now) =>
        CanceledAt is not null ? "canceled"
        : CompletedAt is not null ? "completed"
        : SendAt > now ? "scheduled"
        : "sending";

    /// <summary>The delivery statuses a mass message counts its items by (SPEC §12), in order.</summary>
    public static readonly IReadOnlyList<string> CountedStatuses = ["queued", "sent", "delivered", "failed", "canceled"];

    /// <summary>
    /// The public status an item is counted under: suppressed and expired deliveries did not reach the client, so
    /// they count as failed; superseded cannot happen to a mass message's item but would count as canceled.
    /// </summary>
    public static string CountedAs(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Suppressed or DeliveryStatus.Expired => "failed",
        DeliveryStatus.Superseded => "canceled",
        _ => status.PublicName(),
    };

    /// <summary>An item still to leave: it keeps the mass message from being complete, and cancel ends it.</summary>
    public static bool IsOutstanding(DeliveryStatus status) => status is DeliveryStatus.Pending or DeliveryStatus.Sending;
}
