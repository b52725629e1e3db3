namespace Casewire.Validation;

static class Urls
{
    /// <summary>An absolute <c>http</c> or <c>https</c> URL.</summary>
    public static bool IsAbsoluteHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
