namespace Casewire.Model;

/// <summary>
/// A URL of a company's integration that receives signed events (Standard Webhooks,
/// https://www.standardwebhooks.com). Each call is an <see cref="OutboxItem"/> of channel
/// <see cref="Channel.Webhook"/>: its attempts are the endpoint's delivery log.
/// </summary>
sealed class WebhookEndpoint : ICompanyOwned
{
    public const int MaxUrlLength = 2048;

    public int Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>Absolute http(s) URL the events are POSTed to.</summary>
    public required string Url { get; set; }
    /// <summary>
    /// <c>whsec_</c> + base64 of 32 random bytes. Kept as is, because signing needs it (unlike API
    /// tokens, which are only compared and so stored hashed).
    /// </summary>
    public required string Secret { get; set; }
    /// <summary>The event types it receives, comma-separated; null receives every type.</summary>
    public string? Events { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when Casewire stopped calling it (failing for a day, or 410 Gone); nothing is sent until re-enabled.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
    public string? DisabledReason { get; set; }

    /// <summary>The start of the current run of failed attempts; null after a success.</summary>
    public DateTimeOffset? FailingSince { get; set; }
    /// <summary>Failed attempts in a row; reset by a success.</summary>
    public int ConsecutiveFailures { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }

    public bool IsEnabled => DisabledAt is null;
}
