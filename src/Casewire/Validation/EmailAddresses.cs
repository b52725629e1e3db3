using System.Net.Mail;

namespace Casewire.Validation;

static class EmailAddresses
{
    /// <summary>
    /// A bare address (no display name, no spaces) with a dotted domain: what can actually be mailed.
    /// </summary>
    public static bool IsValid(string email) =>
        email.Length <= Model.Limits.Email
        && !email.Any(char.IsWhiteSpace)
        && MailAddress.TryCreate(email, out var parsed)
        && parsed.Address == email
        && parsed.Host.Contains('.')
        && !parsed.Host.StartsWith('.') && !parsed.Host.EndsWith('.');
}
