using Microsoft.EntityFrameworkCore;
using Npgsql;
using Switchboard.Data;

namespace Switchboard.Infrastructure;

/// <summary>
/// Tells a database that cannot be reached from a request that failed on its own, and keeps the log
/// readable through an outage: one error line when the database goes away, one line when it is
/// back, however many requests failed in between (each answers 503 with Retry-After).
/// </summary>
public sealed class DatabaseOutage(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<DatabaseOutage> logger)
{
    public const int RetryAfterSeconds = 5;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    private int _down;
    private long _since;

    public bool IsDown => Volatile.Read(ref _down) == 1;

    /// <summary>True when the exception means the database is unreachable, not that the request was wrong.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // Connection failures (08), shutdown and start-up (57P01-57P03), too many connections (53300).
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) ||
                           pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                               or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    // Refused, reset or timed out on the way to the server.
                    return true;
                case Microsoft.Data.Sqlite.SqliteException sqlite:
                    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN: the file is there but cannot serve now.
                    return sqlite.SqliteErrorCode is 5 or 6 or 14;
            }
        }
        return false;
    }

    /// <summary>Records a failed database call; logs and starts watching for recovery on the first one of an outage.</summary>
    public void Report(Exception exception)
    {
        var inner = Innermost(exception);
        Report(inner.GetType().Name + ": " + inner.Message);
    }

    public void Report(string reason)
    {
        if (Interlocked.CompareExchange(ref _down, 1, 0) != 0)
        {
            return;
        }
        Interlocked.Exchange(ref _since, Environment.TickCount64);
        logger.LogError("Database unavailable ({Reason}); requests answer 503 until it is back", reason);
        _ = WatchForRecoveryAsync();
    }

    private async Task WatchForRecoveryAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        while (true)
        {
            try
            {
                await Task.Delay(ProbeInterval, stopping);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                if (await db.Database.CanConnectAsync(stopping))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Still down: try again.
            }
        }
        // Pooled connections from before the outage point at a server that is gone: drop them so
        // the first requests after recovery do not fail on them.
        NpgsqlConnection.ClearAllPools();
        var seconds = (Environment.TickCount64 - Interlocked.Read(ref _since)) / 1000.0;
        Volatile.Write(ref _down, 0);
        logger.LogWarning("Database available again after {Seconds:0.0} s", seconds);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e;
    }
}
