namespace Casewire.Model;

/// <summary>Field lengths: the SPEC's limits where it gives them, the database column sizes everywhere.</summary>
static class Limits
{
    public const int ExternalId = 255;
    public const int PersonName = 100;
    public const int Name = 255;
    public const int Slug = 63;
    /// <summary>RFC 5321 path limit.</summary>
    public const int Email = 254;
    public const int Phone = 20;
    /// <summary>A base URL (the portal's).</summary>
    public const int Url = 500;
    /// <summary>A BCP 47 language tag (<c>en</c>, <c>es</c>, <c>es-MX</c>).</summary>
    public const int Language = 35;
    /// <summary>SPEC §4: send-message text.</summary>
    public const int MessageText = 1600;
    /// <summary>SPEC §11: the most references one calendar event list (attendees, teamMembers, otherMembers) may hold.</summary>
    public const int EventPeople = 100;
    /// <summary>SPEC §11: the most clients one project may have.</summary>
    public const int Clients = 20;
    /// <summary>Request bodies of the Partner API (SPEC §1).</summary>
    public const int RequestBodyBytes = 1024 * 1024;
}
