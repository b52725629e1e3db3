namespace Casewire.Model;

/// <summary>A tenant: one law firm. Every other row belongs to exactly one company.</summary>
sealed class Company
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
    /// <summary>Business hours (Mon–Fri, company time) in which automatic notifications go out (SPEC §6).</summary>
    public TimeOnly WindowStart { get; set; } = DefaultWindowStart;
    /// <summary>End of business hours, exclusive: a notification due at or after it waits for the next opening.</summary>
    public TimeOnly WindowEnd { get; set; } = DefaultWindowEnd;
    /// <summary>The company's own SMS number (E.164); null uses the provider's default (<c>Twilio:From</c>).</summary>
    public string? SenderNumber { get; set; }
    /// <summary>Sent to a client who texts HELP or INFO.</summary>
    public string? HelpText { get; set; }
    /// <summary>Where clients open their portal links; null uses <c>Casewire:PublicBaseUrl</c> (see PortalLinks).</summary>
    public string? PortalBaseUrl { get; set; }
    /// <summary>Part of every portal link; raising it revokes every link issued before (Company App → Settings).</summary>
    public int PortalLinkVersion { get; set; } = 1;
    /// <summary>The language of texts to clients whose own is not known (SPEC §13); <c>en</c> unless set.</summary>
    public string Language { get; set; } = "en";
    /// <summary>Whether a completed project's clients are asked for a score, for project types with no setting of their own.</summary>
    public bool SurveyOnCompletion { get; set; }
    /// <summary>Where promoters are asked to leave a review (SPEC §13); no review requests without it.</summary>
    public string? ReviewUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static readonly TimeOnly DefaultWindowStart = new(8, 0);
    public static readonly TimeOnly DefaultWindowEnd = new(20, 0);
}

/// <summary>When automatic notifications may leave (SPEC §6). Explicit messages and reminders are never delayed.</summary>
enum DeliveryWindow
{
    /// <summary>Mon–Fri between <see cref="Company.WindowStart"/> and <see cref="Company.WindowEnd"/> in the company's zone.</summary>
    BusinessHours,
    Immediate,
}
