namespace Casewire.Documents;

/// <summary>
/// Where documents' bytes live: a folder (<see cref="FileSystemStore"/>) or an S3-compatible bucket
/// (<see cref="S3Store"/>). Keys come from <see cref="StorageKeys"/> only, never from an uploader's name.
/// </summary>
interface IFileStore
{
    /// <summary>Stores <paramref name="content"/> (read from its current position to the end) under <paramref name="key"/>.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken ct);

    /// <summary>The stored bytes, or null when nothing is stored under <paramref name="key"/>.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken ct);

    /// <summary>Removes the file; nothing happens when there is none.</summary>
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>Every key stored, in no particular order (the orphan sweeper reads them).</summary>
    IAsyncEnumerable<string> ListAsync(CancellationToken ct);
}
