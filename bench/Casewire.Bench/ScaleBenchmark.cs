namespace Casewire.Bench;
public sealed record ScaleResult(string Database, string? Error);
public sealed class ScaleBenchmark(BenchContext context)
{
    public Task<ScaleResult> RunAsync(string provider, CancellationToken ct) => Task.FromResult(new ScaleResult(provider, context.ToString()));
    public static string Section(IReadOnlyList<ScaleResult> results, BenchContext context, string? postgresVersion) => "";
}
