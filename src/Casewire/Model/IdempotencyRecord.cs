namespace Casewire.Model;

/// <summary>
/// The first response to a POST carrying an <c>Idempotency-Key</c> (SPEC §1, Stripe semantics):
/// replayed for the same key and body within 24 h.
/// </summary>
sealed class IdempotencyRecord : ICompanyOwned
{
    /// <summary>How long a key's first response is replayed (SPEC §1: 24 h); housekeeping deletes older records.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public long Id { get; set; }
    public int CompanyId { get; set; }
    public required string Key { get; set; }
    /// <summary>Method and path it was used with, so a key cannot be replayed on another endpoint.</summary>
    public required string Endpoint { get; set; }
    /// <summary>SHA-256 (hex) of the request body.</summary>
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public required string ResponseBody { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
