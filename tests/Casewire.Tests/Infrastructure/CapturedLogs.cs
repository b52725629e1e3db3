using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Casewire.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps every line it is given: the formatted message, its structured
/// values, every enclosing scope (with its values) and the exception — all an operator's log
/// pipeline would store. Register it with <see cref="Microsoft.Extensions.DependencyInjection.LoggingServiceCollectionExtensions"/>
/// and a provider filter for the level to capture.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public sealed record Entry(
        LogLevel Level, string Category, string Message, IReadOnlyDictionary<string, string?> Values,
        IReadOnlyList<IReadOnlyDictionary<string, string?>> Scopes, string ScopeText, string? Exception)
    {
        /// <summary>Everything this line would put in a log store, as one string to search.</summary>
        public string AllText
        {
            get
            {
                var text = new StringBuilder().Append(Category).Append(' ').AppendLine(Message);
                foreach (var (key, value) in Values) text.Append(key).Append('=').AppendLine(value);
                foreach (var scope in Scopes)
                foreach (var (key, value) in scope) text.Append(key).Append('=').AppendLine(value);
                text.AppendLine(ScopeText).AppendLine(Exception);
                return text.ToString();
            }
        }

        /// <summary>A value from the line itself or any enclosing scope.</summary>
        public string? Find(string key) => Values.TryGetValue(key, out var value)
            ? value
            : Scopes.Select(s => s.GetValueOrDefault(key)).FirstOrDefault(v => v is not null);

        public override string ToString() => $"{Level} {Category}: {Message}";
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    static Dictionary<string, string?> ValuesOf(object? state) =>
        state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value?.ToString())
            : [];

    sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<IReadOnlyDictionary<string, string?>>();
            var scopeText = new StringBuilder();
            owner._scopes.ForEachScope((scope, _) =>
            {
                scopes.Add(ValuesOf(scope));
                scopeText.Append(" => ").Append(scope);
            }, (object?)null);
            owner.Entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), ValuesOf(state), scopes, scopeText.ToString(),
                exception?.ToString()));
        }
    }
}
