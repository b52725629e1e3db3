using System.Security.Cryptography;
using System.Text;

namespace Casewire.Partner.Auth;

/// <summary>
/// API token format: <c>cw_</c> followed by 40 base62 characters (~238 bits of entropy). The
/// database keeps only the SHA-256 of the whole token: a slow hash buys nothing at that entropy.
/// </summary>
static class TokenSecrets
{
    public const string Scheme = "cw_";
    const int SecretLength = 40;
    const int PrefixSecretChars = 8;
    const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewToken() => Scheme + RandomNumberGenerator.GetString(Alphabet, SecretLength);

    /// <summary>The displayable part: scheme + the first 8 secret characters.</summary>
    public static string PrefixOf(string token) => token[..(Scheme.Length + PrefixSecretChars)];

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Cheap shape check before any database look-up.</summary>
    public static bool LooksLikeToken(string value) =>
        value.Length == Scheme.Length + SecretLength
        && value.StartsWith(Scheme, StringComparison.Ordinal)
        && value.AsSpan(Scheme.Length).IndexOfAnyExcept(Alphabet) < 0;
}
