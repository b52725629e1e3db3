namespace Casewire.Partner.Auth;

/// <summary>
/// The company (and token) of the current Partner API request, filled once by
/// <see cref="ApiTokenAuthentication"/>. Every query a handler makes is scoped by <see cref="CompanyId"/>.
/// </summary>
sealed class Tenant
{
    int? _companyId;

    public int CompanyId => _companyId ?? throw new InvalidOperationException("The request is not authenticated.");
    public string CompanySlug { get; private set; } = "";
    public string CompanyName { get; private set; } = "";
    /// <summary>Region for phone numbers written without a country code.</summary>
    public string DefaultRegion { get; private set; } = "US";
    /// <summary>The company's own SMS number; null uses the provider's default.</summary>
    public string? SenderNumber { get; private set; }
    /// <summary>The company's default language for client texts (SPEC §13).</summary>
    public string Language { get; private set; } = "en";
    public int TokenId { get; private set; }
    public string TokenName { get; private set; } = "";
    public string TokenPrefix { get; private set; } = "";

    internal void Set(AuthenticatedToken token)
    {
        _companyId = token.CompanyId;
        CompanySlug = token.CompanySlug;
        CompanyName = token.CompanyName;
        DefaultRegion = token.DefaultRegion;
        SenderNumber = token.SenderNumber;
        Language = token.Language;
        TokenId = token.TokenId;
        TokenName = token.TokenName;
        TokenPrefix = token.TokenPrefix;
    }
}
