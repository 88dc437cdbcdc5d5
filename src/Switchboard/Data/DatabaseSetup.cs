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
            services.AddDbContextPool<PostgresAppDbContext>(o => o.UseNpgsql(connectionString));
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
            services.AddDbContextPool<SqliteAppDbContext>(o => o.UseSqlite(connectionString, s => s.CommandTimeout(30)));
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
        }
        services.AddSingleton(new DatabaseInfo(provider));
        return services;
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
    /// Applies pending migrations. EF Core takes a database-wide migration lock on both providers, so
    /// several instances starting at once apply each migration exactly once.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (!db.IsPostgres)
        {
            // WAL lets readers proceed while a writer commits; the setting is stored in the file.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync();
    }
}

public sealed record DatabaseInfo(DatabaseProvider Provider);
