namespace Casewire.Delivery.Webhooks;

/// <summary>
/// The <c>data</c> of each event type (README "Webhooks"). Ids are those an integrator already
/// knows: <c>projectId</c> is the project's externalId (as in send-message), contacts and team
/// members are named by their externalId, messages and deliveries by Casewire's ids (as in
/// <c>GET messages/{id}</c>). A type's fields never change shape; absent values are null.
/// </summary>
static class WebhookPayloads
{
    public sealed record ContactRef(int Id, string ExternalId);
    public sealed record PhaseRef(int Step, string Name);
    public sealed record ProjectTypeRef(int Id, string Name);
    public sealed record ReminderRef(string Unit, int Amount, DateTimeOffset SendAt);

    /// <summary><c>message.status_changed</c>: one recipient's delivery of a message moved on.</summary>
    public sealed record DeliveryStatusChanged(
        int MessageId, long DeliveryId, string Kind, string? ProjectId, string Channel, string Address, string? ContactExternalId,
        string? TeamMemberExternalId, string Status, string PreviousStatus, string? ProviderMessageId, string? ErrorCode, string? ErrorMessage,
        DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt);

    /// <summary><c>reminder.sent</c>: one recipient's reminder of a calendar event left Casewire.</summary>
    public sealed record ReminderSent(
        string EventId, string? ProjectId, string Title, DateTimeOffset StartTime, ReminderRef Reminder, int MessageId, long DeliveryId,
        string Channel, string Address, string? ContactExternalId, string? TeamMemberExternalId, DateTimeOffset? SentAt);

    /// <summary><c>message.received</c>: a client wrote.</summary>
    public sealed record MessageReceived(
        int MessageId, string? ProjectId, string Channel, string? From, string? ContactExternalId, string AuthorName, string Text,
        DateTimeOffset ReceivedAt);

    /// <summary><c>contact.opted_out</c> / <c>contact.opted_in</c>: texts to a number stopped or resumed; the company's contacts with that number.</summary>
    public sealed record OptOutChanged(string Phone, string Source, string? Keyword, IReadOnlyList<ContactRef> Contacts);

    /// <summary><c>project.phase_changed</c>.</summary>
    public sealed record PhaseChanged(
        string ProjectId, string ProjectName, ProjectTypeRef ProjectType, string PartnerPhaseName, PhaseRef? PreviousPhase, PhaseRef Phase);

    /// <summary>The clients a mass message skipped, by reason.</summary>
    public sealed record MassMessageSkipped(int OptedOut, int Unreachable, int Duplicate);

    /// <summary><c>mass_message.completed</c>: every delivery of a mass message left the queue; its deliveries counted by status.</summary>
    public sealed record MassMessageCompleted(
        int MassMessageId, string Status, int Recipients, MassMessageSkipped Skipped, IReadOnlyDictionary<string, int> Counts,
        DateTimeOffset SendAt, DateTimeOffset CompletedAt);
}
