namespace Casewire.Model;

/// <summary>
/// A Partner API bearer token. Only a SHA-256 hash of the secret is stored; the full value is
/// shown once, when it is created, and afterwards the token is known by its <see cref="Prefix"/>.
/// </summary>
sealed class ApiToken : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public Company Company { get; set; } = null!;
    public required string Name { get; set; }
    /// <summary>The first characters of the token (<c>cw_</c> + 8), safe to display and to type.</summary>
    public required string Prefix { get; set; }
    /// <summary>Lower-case hex SHA-256 of the whole token.</summary>
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
