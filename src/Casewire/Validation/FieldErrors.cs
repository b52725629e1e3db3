using Casewire.Phones;

namespace Casewire.Validation;

/// <summary>
/// Collects validation errors keyed by JSON field name (SPEC §1), each message saying what is
/// wrong and what is accepted, and turns them into one RFC 9457 validation problem.
/// </summary>
sealed class FieldErrors
{
    readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>A required, non-blank string no longer than <paramref name="max"/>; returns it trimmed.</summary>
    public string Required(string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{field} is required and must be a non-blank string.");
            return "";
        }
        return MaxLength(field, value.Trim(), max);
    }

    /// <summary>An optional string: blank is read as absent (null); returns it trimmed.</summary>
    public string? Optional(string field, string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : MaxLength(field, value.Trim(), max);

    string MaxLength(string field, string value, int max)
    {
        if (value.Length > max) Add(field, $"{field} is {value.Length} characters long; at most {max} are accepted.");
        return value;
    }

    public string? Email(string field, string? value)
    {
        var email = Optional(field, value, Model.Limits.Email);
        if (email is not null && !EmailAddresses.IsValid(email))
            Add(field, $"{field}: '{Shorten(email)}' is not a valid email address; use the form name@example.com.");
        return email;
    }

    public string? Phone(string field, string? value, string region)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (MobileNumbers.TryNormalize(value, region, out var e164)) return e164;
        Add(field, $"{field}: '{Shorten(value)}' is not a valid mobile number; use E.164, e.g. +15551234567 " +
                   $"(a national number such as (555) 123-4567 is read in region {region}).");
        return null;
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public string Summary =>
        $"The request has {_errors.Count} invalid field{(_errors.Count == 1 ? "" : "s")}: {string.Join(", ", _errors.Keys)}.";

    public static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
