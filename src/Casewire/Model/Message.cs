namespace Casewire.Model;

/// <summary>
/// One text in Casewire's single message id space (SPEC §7): explicit sends, reminders, notices,
/// milestone notifications and inbound replies. Its deliveries (one per recipient and channel)
/// are <see cref="OutboxItem"/>s.
/// </summary>
sealed class Message : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>The project whose conversation holds it; null for phone-only sends and unattached inbound texts.</summary>
    public int? ProjectId { get; set; }
    /// <summary>For milestone notifications: the phase the project was in when it was written (what it was sent for).</summary>
    public int? PhaseId { get; set; }
    public Phase? Phase { get; set; }
    public MessageDirection Direction { get; set; }
    public MessageKind Kind { get; set; }
    /// <summary>The author when a CMS team member wrote it; null with <see cref="AuthorName"/> "CRM" otherwise.</summary>
    public int? AuthorTeamMemberId { get; set; }
    /// <summary>The Company App user who wrote it from the project page.</summary>
    public int? AuthorStaffUserId { get; set; }
    /// <summary>The client who wrote an inbound message.</summary>
    public int? AuthorContactId { get; set; }
    /// <summary>Display name of the author at the time: a team member's name, "CRM", "Casewire", or the client's.</summary>
    public required string AuthorName { get; set; }
    public required string Text { get; set; }
    /// <summary>Subject of the email deliveries.</summary>
    public string? Subject { get; set; }
    /// <summary>For inbound messages: the number it came from; null for a reply written in the client portal.</summary>
    public string? FromAddress { get; set; }
    /// <summary>For inbound texts: the provider's id (Twilio's MessageSid), so a redelivered webhook is stored once.</summary>
    public string? ProviderMessageId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>For inbound messages: when a staff member first opened the conversation; null is unread.</summary>
    public DateTimeOffset? ReadAt { get; set; }

    public List<OutboxItem> Deliveries { get; set; } = [];
}

enum MessageDirection
{
    Outbound,
    Inbound,
}

enum MessageKind
{
    /// <summary>POST send-message, or a staff member in the Company App.</summary>
    Explicit,
    Reminder,
    /// <summary>Event created / rescheduled / canceled, or a document shared with the client (SPEC §14).</summary>
    Notice,
    Welcome,
    PhaseChange,
    Drip,
    /// <summary>An automatic answer to a client's request: HELP, or a fresh portal link asked for on an expired one.</summary>
    Help,
    /// <summary>A client's text or portal reply.</summary>
    Reply,
    /// <summary>The satisfaction question of SPEC §13 (a 0–10 answer by reply).</summary>
    Survey,
    /// <summary>A promoter's invitation to review the firm (SPEC §13).</summary>
    ReviewRequest,
}

/// <summary>The public names of a message's kind and author: the API, the webhooks and the staff pages show these.</summary>
static class MessageNames
{
    /// <summary>The kind names of <c>GET messages</c>: explicit, reminder, notice, welcome, phase-change, drip, help, reply.</summary>
    public static string PublicName(this MessageKind kind) => kind switch
    {
        MessageKind.PhaseChange => "phase-change",
        MessageKind.ReviewRequest => "review-request",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Sent by Casewire on its own (a reminder, a milestone text), not written by a person.</summary>
    public static bool IsAutomatic(this MessageKind kind) => kind is not (MessageKind.Explicit or MessageKind.Reply);

    /// <summary>Who wrote it: team-member, staff (a Company App user not linked to a team member), client, casewire or crm.</summary>
    public static string AuthorKind(this Message m) =>
        m.AuthorTeamMemberId is not null ? "team-member"
        : m.AuthorStaffUserId is not null ? "staff"
        : m.AuthorContactId is not null || m.Direction == MessageDirection.Inbound ? "client"
        : m.Kind.IsAutomatic() ? "casewire"
        : "crm";
}
