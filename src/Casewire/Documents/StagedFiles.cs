namespace Casewire.Documents;

/// <summary>
/// Files written before their rows commit (SPEC §14): <see cref="PutAsync"/> stores each under a new key, and unless
/// <see cref="Keep"/> is called once the rows are committed, disposing removes them again — a failed request leaves
/// no file. A crash in between leaves an orphan, which <see cref="OrphanSweeper"/> removes after its grace.
/// </summary>
sealed class StagedFiles(IFileStore store, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    readonly List<string> _keys = [];
    bool _kept;

    /// <summary>Stores the file for <paramref name="companyId"/>; returns its key for the row.</summary>
    public async Task<string> PutAsync(int companyId, AcceptedFile file, CancellationToken ct)
    {
        var key = StorageKeys.New(companyId, time.GetUtcNow());
        _keys.Add(key);
        file.Content.Position = 0;
        await store.PutAsync(key, file.Content, file.Type.ContentType, ct);
        return key;
    }

    /// <summary>The rows are committed: the files stay.</summary>
    public void Keep() => _kept = true;

    public async ValueTask DisposeAsync()
    {
        if (_kept) return;
        foreach (var key in _keys)
        {
            try
            {
                await store.DeleteAsync(key, CancellationToken.None);
            }
            catch (Exception e)
            {
                // The sweeper takes it after its grace.
                logger.LogWarning(e, "Could not remove {Key}, written for a document that was not saved; the orphan sweeper will", key);
            }
        }
    }
}
