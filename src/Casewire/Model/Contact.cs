namespace Casewire.Model;

/// <summary>A firm's client as the CMS knows it (SPEC §2).</summary>
sealed class Contact : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public required string ExternalId { get; set; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public string? Email { get; set; }
    /// <summary>E.164, normalised on the way in.</summary>
    public string? Phone { get; set; }
    /// <summary>Explicit choice; <c>null</c> means the default (SMS when there is a phone, else email).</summary>
    public NotificationPreference? NotificationPreference { get; set; }
    /// <summary>The language texts to this client are written in (BCP 47, one Casewire has texts for); null uses the company's (SPEC §13).</summary>
    public string? Language { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public NotificationPreference EffectiveNotificationPreference =>
        NotificationPreference ?? (Phone is not null ? Model.NotificationPreference.Sms : Model.NotificationPreference.Email);
}

enum NotificationPreference
{
    Sms,
    Email,
    Both,
}
