namespace Casewire.Delivery;

/// <summary>One text to one number, as a provider receives it.</summary>
sealed record OutgoingSms(long DeliveryId, int? MessageId, string To, string? From, string Body);

/// <summary>One email to one address, as a provider receives it.</summary>
sealed record OutgoingEmail(long DeliveryId, int? MessageId, string To, string? From, string Subject, string Body, string? CalendarIcs = null);

/// <summary>What a provider call came to, classified by <see cref="FailureClassification"/>.</summary>
sealed record SendResult(
    SendOutcome Outcome, string? ProviderMessageId = null, string? ErrorCode = null, string? ErrorMessage = null, bool OptsOut = false,
    TimeSpan? RetryAfter = null)
{
    public static SendResult Sent(string providerMessageId) => new(SendOutcome.Sent, providerMessageId);
}

enum SendOutcome
{
    Sent,
    /// <summary>Worth retrying later (timeouts, 5xx, 429, carrier busy).</summary>
    Transient,
    /// <summary>Will never succeed (invalid number, landline, opted out at the carrier).</summary>
    Permanent,
    /// <summary>
    /// The request went out but its answer was lost (a timeout or reset after it was written, a 502/504, an
    /// unreadable 2xx): the provider may have it. Never retried blind: it is asked first (SPEC §10).
    /// </summary>
    Ambiguous,
}

/// <summary>After a crash mid-send or an ambiguous answer: did the provider get the message?</summary>
sealed record ReconcileResult(ReconcileOutcome Outcome, string? ProviderMessageId = null);

enum ReconcileOutcome
{
    /// <summary>The provider has it: record it as sent, never send it again.</summary>
    Found,
    /// <summary>The provider never got it: safe to send.</summary>
    NotFound,
    /// <summary>The provider could not be asked now: ask again later.</summary>
    Unknown,
}

/// <summary>An SMS provider (SPEC §7): the sink or Twilio.</summary>
interface ISmsSender
{
    string Name { get; }
    /// <summary>Each sender number's budget on a real carrier connection; null for the unthrottled sink.</summary>
    double? MessagesPerSecond { get; }
    Task<SendResult> SendAsync(OutgoingSms sms, CancellationToken ct);
    Task<ReconcileResult> ReconcileAsync(OutgoingSms sms, DateTimeOffset attemptStartedAt, CancellationToken ct);
}

/// <summary>An email provider (SPEC §7): the sink or SMTP.</summary>
interface IEmailSender
{
    string Name { get; }
    Task<SendResult> SendAsync(OutgoingEmail email, CancellationToken ct);
    Task<ReconcileResult> ReconcileAsync(OutgoingEmail email, DateTimeOffset attemptStartedAt, CancellationToken ct);
}
