namespace Casewire.Bench;
public sealed record SoakResult(string Database, string? Error);
public sealed class SoakBenchmark(BenchContext context)
{
    public Task<SoakResult> RunAsync(string provider, CancellationToken ct) => Task.FromResult(new SoakResult(provider, context.ToString()));
    public static string Section(IReadOnlyList<SoakResult> results, BenchContext context, string? postgresVersion) => "";
}
