namespace Casewire.Model;

/// <summary>A tenant: one law firm. Every other row belongs to exactly one company.</summary>
public sealed class Company
{
    public int Id { get; set; }
    /// <summary>Short, URL-safe handle used by the CLI (<c>--company acme</c>).</summary>
    public required string Slug { get; set; }
    public required string Name { get; set; }
    /// <summary>IANA zone of the firm's office: the delivery window and staff-facing times use it.</summary>
    public string TimeZone { get; set; } = "America/New_York";
    /// <summary>ISO 3166 region used to read phone numbers given without a country code.</summary>
    public string DefaultRegion { get; set; } = "US";
    public DeliveryWindow DeliveryWindow { get; set; } = DeliveryWindow.BusinessHours;
    /// <summary>The company's own SMS number (E.164); null uses the provider's default (<c>Twilio:From</c>).</summary>
    public string? SenderNumber { get; set; }
    /// <summary>Sent to a client who texts HELP or INFO.</summary>
    public string? HelpText { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum DeliveryWindow
{
    BusinessHours,
    Immediate,
}
