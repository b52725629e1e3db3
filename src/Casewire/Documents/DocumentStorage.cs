using Casewire.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Casewire.Documents;

/// <summary>Registration of the file store (<c>Storage:Provider</c>), the checks, staging and the orphan sweeper.</summary>
static class DocumentStorage
{
    public static IHostApplicationBuilder AddDocumentStorage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidation>();
        services.AddSingleton<IFileStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.Provider == StorageProvider.S3
                ? new S3Store(options.S3)
                : new FileSystemStore(options.Path ?? DefaultPath(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        });
        services.AddSingleton<IncomingFiles>();
        services.AddSingleton<DocumentFiles>();
        services.AddSingleton<OrphanSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<OrphanSweeper>());
        return builder;
    }

    /// <summary><c>files</c> beside the SQLite database; <c>data/files</c> with PostgreSQL.</summary>
    static string DefaultPath(IConfiguration configuration, DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var source = new SqliteConnectionStringBuilder(configuration.GetConnectionString("Casewire") ?? DataExtensions.DefaultSqliteConnection).DataSource;
            if (!string.IsNullOrEmpty(source) && source != ":memory:")
                return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source)) ?? ".", "files");
        }
        return Path.Combine("data", "files");
    }
}

/// <summary>The store as the features use it: stage new files, open stored ones.</summary>
sealed class DocumentFiles(IFileStore store, TimeProvider time, ILogger<DocumentFiles> logger)
{
    /// <summary>Files for rows about to be saved; dispose it after the save (see <see cref="StagedFiles"/>).</summary>
    public StagedFiles Stage() => new(store, time, logger);

    public Task<Stream?> OpenAsync(string key, CancellationToken ct) => store.OpenAsync(key, ct);
}
