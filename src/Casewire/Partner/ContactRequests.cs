using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Casewire.Model;
using Casewire.Partner.Json;
using Casewire.Validation;

namespace Casewire.Partner;

/// <summary>The body of <c>PUT /partner/v2/contacts</c> (SPEC §2).</summary>
sealed record ContactRequest(
    [property: ApiRequired] string? ExternalId,
    [property: ApiRequired] string? FirstName,
    [property: ApiRequired] string? LastName,
    [property: Description("An email address; a contact needs an email or a phone.")] Optional<string?> Email,
    [property: Description("A mobile phone number in E.164 (+15551234567); a contact needs an email or a phone.")] Optional<string?> Phone,
    // Extension: <c>sms</c>, <c>email</c> or <c>both</c>; <c>null</c> restores the default.
    [property: ApiEnum("sms", "email", "both"), Description("Extension: how the contact is reached; null restores the company default.")]
    Optional<string?> NotificationPreference,
    [property: Description("Extension (SPEC §13): the client's language, BCP 47 (en, es, es-MX); null uses the company's default language.")]
    Optional<string?> Language)
{
    /// <summary>Reads and checks every field; the errors are keyed by the field at fault.</summary>
    public bool TryRead(string region, [NotNullWhen(true)] out ContactInput? contact, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var externalId = errors.Required("externalId", ExternalId, Limits.ExternalId);
        var firstName = errors.Required("firstName", FirstName, Limits.PersonName);
        var lastName = errors.Required("lastName", LastName, Limits.PersonName);
        var email = errors.Email("email", Email.Value);
        var phone = errors.Phone("phone", Phone.Value, region);
        var preference = ReadPreference(errors, NotificationPreference.Value);
        var language = ReadLanguage(errors, Language.Value);
        contact = errors.Any
            ? null
            : new ContactInput(externalId, firstName, lastName, Email.As(email), Phone.As(phone), NotificationPreference.As(preference), Language.As(language));
        return contact is not null;
    }

    static string? ReadLanguage(FieldErrors errors, string? value)
    {
        if (value is null) return null;
        if (Texts.Languages.TryRead(value, out var tag)) return tag;
        errors.Add("language", $"language '{FieldErrors.Shorten(value)}' is not a language Casewire has texts for; use one of: {Texts.Languages.Accepted}, or null for the company's.");
        return null;
    }

    static NotificationPreference? ReadPreference(FieldErrors errors, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (EnumNames.TryParse<NotificationPreference>(value, out var parsed)) return parsed;
        errors.Add("notificationPreference", $"notificationPreference '{FieldErrors.Shorten(value)}' is not one of: sms, email, both.");
        return null;
    }
}

/// <summary>A contact request once read: names trimmed, the phone in E.164, the optional fields set only when sent.</summary>
sealed record ContactInput(
    string ExternalId, string FirstName, string LastName, Optional<string?> Email, Optional<string?> Phone,
    Optional<NotificationPreference?> NotificationPreference, Optional<string?> Language)
{
    public void ApplyTo(Contact contact)
    {
        contact.FirstName = FirstName;
        contact.LastName = LastName;
        contact.Email = Email.Or(contact.Email);
        contact.Phone = Phone.Or(contact.Phone);
        contact.NotificationPreference = NotificationPreference.Or(contact.NotificationPreference);
        contact.Language = Language.Or(contact.Language);
    }

    /// <summary>What the stored contact with this request applied lacks (SPEC §1: validation runs on the merged result).</summary>
    public FieldErrors Check(Contact merged)
    {
        var errors = new FieldErrors();
        if (merged.Email is null && merged.Phone is null)
            errors.Add(Email.IsSet || Phone.IsSet ? "phone" : "email",
                "A contact needs a phone or an email: send phone (E.164, e.g. +15551234567) or email.");
        if (merged.NotificationPreference is Model.NotificationPreference.Sms or Model.NotificationPreference.Both && merged.Phone is null)
            errors.Add("notificationPreference", "notificationPreference 'sms' or 'both' needs a phone.");
        if (merged.NotificationPreference is Model.NotificationPreference.Email or Model.NotificationPreference.Both && merged.Email is null)
            errors.Add("notificationPreference", "notificationPreference 'email' or 'both' needs an email.");
        return errors;
    }
}
