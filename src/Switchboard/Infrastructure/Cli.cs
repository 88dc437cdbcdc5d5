using System.Reflection;
using Microsoft.Data.Sqlite;
using Switchboard.Data;

namespace Switchboard.Infrastructure;

/// <summary>
/// The commands besides serving: <c>--help</c>, <c>--version</c>, <c>backup DIR</c> and
/// <c>restore DIR</c>. Returns null when the arguments mean "serve".
/// </summary>
public static class Cli
{
    public const string Help = """
        Switchboard: ticketing with real-time team chat.

        Usage:
          switchboard [--Key=value ...]          serve (http://localhost:5000 unless --urls says otherwise)
          switchboard backup <dir> [--Key=value ...]   copy the embedded database (online) and uploads into <dir>
          switchboard restore <dir> [--Key=value ...]  put a backup into DataDir (which must hold no database yet)
          switchboard --help | --version

        Configuration (appsettings.json beside the binary, environment variables with __ for :,
        or --Key=value arguments):
          --urls                         addresses to listen on, e.g. http://0.0.0.0:8000
          DataDir                        data folder: switchboard.db, uploads/, jwt-signing.key (default ./data)
          Database:Provider              Sqlite (default, embedded) or Postgres
          ConnectionStrings:Database     the PostgreSQL connection string (or a SQLite one)
          Redis:Configuration            Redis for several instances (fan-out of chat events)
          Redis:ShardedPubSub            auto (sharded pub/sub on a Redis Cluster), true or false
          Jwt:SigningKey                 HMAC key, 32+ bytes; the same on every instance (generated into DataDir when empty)
          Jwt:Issuer, Jwt:AccessTokenMinutes, Jwt:RefreshTokenDays
          RateLimits:AuthPermitLimit, RateLimits:AuthWindowSeconds, RateLimits:ChatBurst, RateLimits:ChatPerSecond
          Uploads:MaxBytes               largest upload in bytes (default 25 MiB)
          Cors:AllowedOrigins            origins (besides the server's own) allowed to call the API and open sockets
          Proxy:KnownProxies             proxy addresses trusted for X-Forwarded-For/-Proto (loopback always is)
          Metrics:Enabled                Prometheus metrics at /metrics (default false)
          Metrics:BearerToken            the token the scraper sends (required when metrics are on)

        PostgreSQL backups: pg_dump -Fc, and pg_restore; see docs/operations.md.
        """;

    public static async Task<int?> RunAsync(string[] args, TextWriter output)
    {
        if (args.Length == 0)
        {
            return null;
        }
        switch (args[0])
        {
            case "--help" or "-h" or "help":
                await output.WriteLineAsync(Help);
                return 0;
            case "--version":
                await output.WriteLineAsync(typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
                return 0;
            case "backup" or "restore" when args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal):
                await output.WriteLineAsync($"Usage: switchboard {args[0]} <dir>");
                return 2;
            case "backup":
                return await BackupAsync(args[1], Configuration(args[2..]), output);
            case "restore":
                return await RestoreAsync(args[1], Configuration(args[2..]), output);
            default:
                return null;
        }
    }

    private static IConfiguration Configuration(string[] args)
    {
        var root = ContentRoot.Resolve(args) ?? Directory.GetCurrentDirectory();
        return new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }

    private static (string DataDir, string Database)? EmbeddedPaths(IConfiguration configuration, TextWriter output)
    {
        if (DatabaseSetup.ReadProvider(configuration) == DatabaseProvider.Postgres)
        {
            output.WriteLine("The database is PostgreSQL: back it up with pg_dump -Fc and restore with pg_restore (docs/operations.md).");
            return null;
        }
        var dataDir = Path.GetFullPath(configuration["DataDir"] ?? "./data");
        var connection = configuration.GetConnectionString("Database");
        var database = string.IsNullOrWhiteSpace(connection)
            ? Path.Combine(dataDir, "switchboard.db")
            : Path.GetFullPath(new SqliteConnectionStringBuilder(connection).DataSource);
        return (dataDir, database);
    }

    private static async Task<int> BackupAsync(string target, IConfiguration configuration, TextWriter output)
    {
        if (EmbeddedPaths(configuration, output) is not var (dataDir, database))
        {
            return 2;
        }
        if (!File.Exists(database))
        {
            await output.WriteLineAsync($"No database at {database}.");
            return 1;
        }
        target = Path.GetFullPath(target);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            await output.WriteLineAsync($"{target} is not empty: back up into a new folder.");
            return 1;
        }
        Directory.CreateDirectory(target);
        var started = DateTime.UtcNow;
        // VACUUM INTO reads one consistent snapshot while the server goes on writing (WAL mode),
        // and writes a compact copy. The database first, then the files: every file a copied
        // message refers to was stored before its message was committed, so it is there to copy.
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 10000; VACUUM INTO $target;";
            command.Parameters.AddWithValue("$target", Path.Combine(target, "switchboard.db"));
            await command.ExecuteNonQueryAsync();
        }
        var files = CopyTree(Path.Combine(dataDir, "uploads"), Path.Combine(target, "uploads"));
        var key = Path.Combine(dataDir, "jwt-signing.key");
        if (File.Exists(key))
        {
            File.Copy(key, Path.Combine(target, "jwt-signing.key"));
        }
        await output.WriteLineAsync($"Backed up {database} and {files} uploaded files into {target} in {(DateTime.UtcNow - started).TotalSeconds:0.0} s.");
        return 0;
    }

    private static async Task<int> RestoreAsync(string source, IConfiguration configuration, TextWriter output)
    {
        if (EmbeddedPaths(configuration, output) is not var (dataDir, database))
        {
            return 2;
        }
        source = Path.GetFullPath(source);
        if (!File.Exists(Path.Combine(source, "switchboard.db")))
        {
            await output.WriteLineAsync($"{source} holds no switchboard.db: not a backup.");
            return 1;
        }
        if (File.Exists(database))
        {
            await output.WriteLineAsync($"{database} exists: stop the server and move the old data away first; restore never overwrites.");
            return 1;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        File.Copy(Path.Combine(source, "switchboard.db"), database);
        var files = CopyTree(Path.Combine(source, "uploads"), Path.Combine(dataDir, "uploads"));
        var key = Path.Combine(source, "jwt-signing.key");
        if (File.Exists(key) && !File.Exists(Path.Combine(dataDir, "jwt-signing.key")))
        {
            File.Copy(key, Path.Combine(dataDir, "jwt-signing.key"));
        }
        await output.WriteLineAsync($"Restored {source} into {dataDir} ({files} uploaded files). Start the server as usual.");
        return 0;
    }

    private static int CopyTree(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return 0;
        }
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            try
            {
                File.Copy(file, destination, overwrite: false);
                count++;
            }
            catch (FileNotFoundException)
            {
                // Deleted while we copied (its message was deleted): nothing refers to it any more.
            }
        }
        return count;
    }
}
