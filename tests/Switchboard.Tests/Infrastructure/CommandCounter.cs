using System.Data.Common;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;

namespace Switchboard.Tests.Infrastructure;

/// <summary>Counts every SQL command the app sends, to prove list endpoints have no N+1 queries.</summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    /// <summary>
    /// The commands <paramref name="read"/> sends: the fewest of three runs. The counter sees the whole
    /// server, and a background round (presence, the call sweeper, the mailer) can land inside a
    /// request and only ever adds, so the fewest is the read's own.
    /// </summary>
    public async Task<int> FewestForAsync(Func<Task> read)
    {
        var fewest = int.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Reset();
            await read();
            fewest = Math.Min(fewest, Count);
        }
        return fewest;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.FromResult(result);
    }
}

public static class CommandCounting
{
    /// <summary>Puts the counter on the app's DbContext, whichever database it runs on.</summary>
    public static IServiceCollection AddCommandCounter(this IServiceCollection services, CommandCounter counter)
    {
        services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(counter));
        services.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(counter));
        return services;
    }

    /// <summary>A second server on the same database whose every SQL command is counted.</summary>
    public static WebApplicationFactory<Program> WithCommandCounter(this SwitchboardApp app, CommandCounter counter) =>
        app.WithWebHostBuilder(b => b.ConfigureServices(services => services.AddCommandCounter(counter)));
}
