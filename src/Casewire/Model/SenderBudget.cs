namespace Casewire.Model;

/// <summary>
/// One sender number's messages-per-second budget (SPEC §7, §10), shared by every instance on the
/// database: the earliest instant its next text may leave. Each send slot taken moves it on by one
/// text's share of a second.
/// </summary>
sealed class SenderBudget
{
    /// <summary>The sending number, or <c>default</c> for the provider's configured one.</summary>
    public required string Sender { get; set; }
    public DateTimeOffset NextFreeAt { get; set; }
}
