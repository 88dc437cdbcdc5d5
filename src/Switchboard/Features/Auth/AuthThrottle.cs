using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Auth;

/// <summary>
/// Fixed-window counters for login and register, per client address and per username, so that
/// neither one address guessing many accounts nor many addresses guessing one account get far.
/// Counters live in this process: with several instances each enforces the limit on its own.
/// </summary>
public sealed class AuthThrottle(IOptions<SwitchboardOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();
    private long _lastSweep;

    private sealed class Window(long start)
    {
        public long Start = start;
        public int Count;
    }

    /// <summary>Counts one attempt against every key; returns the seconds to wait when any is over the limit.</summary>
    public int? Hit(params string[] keys)
    {
        var limit = options.Value.RateLimits.AuthPermitLimit;
        var windowSeconds = Math.Max(1, options.Value.RateLimits.AuthWindowSeconds);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        Sweep(now, windowSeconds);

        int? retryAfter = null;
        foreach (var key in keys)
        {
            var window = _windows.GetOrAdd(key, _ => new Window(now));
            lock (window)
            {
                if (now - window.Start >= windowSeconds)
                {
                    window.Start = now;
                    window.Count = 0;
                }
                window.Count++;
                if (window.Count > limit)
                {
                    var wait = (int)Math.Max(1, window.Start + windowSeconds - now);
                    retryAfter = Math.Max(retryAfter ?? 0, wait);
                }
            }
        }
        if (retryAfter is not null)
        {
            Infrastructure.SwitchboardMetrics.Refused("auth");
        }
        return retryAfter;
    }

    private void Sweep(long now, int windowSeconds)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (now - last < windowSeconds || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }
        foreach (var (key, window) in _windows)
        {
            if (now - window.Start >= windowSeconds)
            {
                _windows.TryRemove(key, out _);
            }
        }
    }
}
