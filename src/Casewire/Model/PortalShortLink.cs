namespace Casewire.Model;

/// <summary>
/// A short portal link (SPEC §11): <c>{base}/p/{code}</c>. Only a hash of the code is stored, with the client and
/// case it opens, when it stops working, and the company's <see cref="Company.PortalLinkVersion"/> when it was
/// issued (raising the company's version revokes it, as it does the long signed links).
/// </summary>
sealed class PortalShortLink : ICompanyOwned
{
    /// <summary>
    /// How long a row is kept after its link expired: while it is, the expired link still offers "Send me a new link"
    /// (which needs to know whose link it was); after that the row is removed and the code is like any unknown one.
    /// </summary>
    public static readonly TimeSpan KeptAfterExpiry = TimeSpan.FromDays(90);

    public long Id { get; set; }
    public int CompanyId { get; set; }
    public int ProjectId { get; set; }
    public int ContactId { get; set; }
    /// <summary>SHA-256 of the code's ASCII; the code itself exists only in the text that carried it.</summary>
    public required byte[] CodeHash { get; set; }
    public int LinkVersion { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
