using Microsoft.EntityFrameworkCore;
using Switchboard.Infrastructure;

namespace Switchboard.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseSetup
{
    /// <summary>Registers <see cref="AppDbContext"/> for the configured provider (SQLite under DataDir by default).</summary>
    public static IServiceCollection AddSwitchboardDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ReadProvider(configuration);
        var connectionString = configuration.GetConnectionString("Database");

        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Database is empty.");
            }
            services.AddDbContextPool<PostgresAppDbContext>(o => o.UseNpgsql(WithPostgresDefaults(connectionString)).ConfigureWarnings(QuietFailures));
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<PostgresAppDbContext>());
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var dataDir = configuration.GetSection("DataDir").Value ?? "./data";
                var file = Path.Combine(Path.GetFullPath(dataDir), "switchboard.db");
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                connectionString = $"Data Source={file}";
            }
            var connectionSetup = new SqliteConnectionSetup();
            services.AddDbContextPool<SqliteAppDbContext>(o => o.UseSqlite(connectionString, s => s.CommandTimeout(30))
                .ConfigureWarnings(QuietFailures).AddInterceptors(connectionSetup));
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
        }
        services.AddSingleton<GroupCommit>();
        return services;
    }

    // EF Core logs every failed command, connection and query as an error of its own, so one
    // database outage wrote thousands of lines. The exception still reaches whoever handles it (the
    // exception handler logs a real bug once with its stack, DatabaseOutage logs an outage once).
    //
    // Migrating at start does not compare the model with the last migration's snapshot (EF Core's
    // pending-model-changes check): that built both models from scratch on every start, about a
    // tenth of the start-up (docs/decisions/1410-start-up-profile.md). The test
    // Migrations_MatchTheModel makes the same comparison, so a model changed without a migration
    // still fails before it ships.
    private static void QuietFailures(Microsoft.EntityFrameworkCore.Diagnostics.WarningsConfigurationBuilder w) => w.Log(
        (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.ConnectionError, LogLevel.Debug),
        (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, LogLevel.Debug),
        (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.QueryIterationFailed, LogLevel.Debug),
        (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, LogLevel.Debug))
        .Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning);

    /// <summary>
    /// Connection settings the operator did not choose get defaults that suit this app: statements it
    /// runs often are prepared once per connection (PostgreSQL skips parsing and planning them again),
    /// and a pooled connection is not reset when returned (the app keeps no session state; the one
    /// session-level lock it takes, at migration, is released explicitly). docs/deploy.md lists them.
    /// </summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 200;
            builder.AutoPrepareMinUsages = 2;
        }
        if (!Mentions(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;

        static bool Mentions(string text, params string[] keys) =>
            keys.Any(k => text.Contains(k, StringComparison.OrdinalIgnoreCase));
    }

    public static DatabaseProvider ReadProvider(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value) || value.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Sqlite;
        }
        if (value.Equals("postgres", StringComparison.OrdinalIgnoreCase) || value.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Postgres;
        }
        throw new InvalidOperationException($"Unknown Database:Provider '{value}'. Use Sqlite or Postgres.");
    }

    /// <summary>
    /// Applies pending migrations. Several instances may start at once against one database, so
    /// migrating is serialized across processes: a PostgreSQL advisory lock, or a lock file beside
    /// the SQLite database. EF Core's own migration lock alone let two fresh instances both apply
    /// the same migration.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (db.IsPostgres)
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})");
                try
                {
                    await db.Database.MigrateAsync();
                }
                finally
                {
                    await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})");
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
            return;
        }

        var file = db.Database.GetDbConnection().DataSource;
        await using var fileLock = await AcquireFileLockAsync(string.IsNullOrEmpty(file) ? null : file + ".migrate-lock");
        // WAL lets readers proceed while a writer commits; the setting is stored in the file.
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await db.Database.CloseConnectionAsync();
        await db.Database.MigrateAsync();
    }

    // Any fixed number: it names Switchboard's migration lock among the database's advisory locks.
    private const long MigrationLockKey = 0x5357_4254_4D49_4752;

    private static async Task<IAsyncDisposable?> AcquireFileLockAsync(string? path)
    {
        if (path is null || path.Contains(":memory:", StringComparison.Ordinal))
        {
            return null;
        }
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
