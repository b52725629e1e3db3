namespace Casewire.Partner;

/// <summary>
/// External ids in URL paths. The server decodes every escape in a path segment except <c>%2F</c>
/// (it would change the path's shape), so an id like <c>2024/0012</c>, sent as <c>2024%2F0012</c>,
/// arrives with that escape still in it.
/// </summary>
public static class PathIds
{
    public static string Decode(string segment) =>
        segment.Contains('%') ? segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : segment;
}
