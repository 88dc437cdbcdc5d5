namespace Switchboard.Infrastructure;

/// <summary>Every configuration key the server reads, bound from appsettings and environment variables.</summary>
public sealed class SwitchboardOptions
{
    public string DataDir { get; set; } = "./data";
    public JwtOptions Jwt { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public SessionOptions Sessions { get; set; } = new();
    public UploadOptions Uploads { get; set; } = new();

    /// <summary>The absolute data folder, created on first use.</summary>
    public string ResolveDataDir()
    {
        var full = Path.GetFullPath(DataDir);
        Directory.CreateDirectory(full);
        return full;
    }
}

public sealed class JwtOptions
{
    /// <summary>HMAC key (at least 32 bytes once UTF-8 encoded). Generated into DataDir when empty.</summary>
    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "switchboard";
    public int AccessTokenMinutes { get; set; } = 15;
    public int RefreshTokenDays { get; set; } = 14;
}

public sealed class RateLimitOptions
{
    /// <summary>Login and register attempts allowed per client address and per username in one window.</summary>
    public int AuthPermitLimit { get; set; } = 10;
    public int AuthWindowSeconds { get; set; } = 60;
    /// <summary>Chat messages a user may send at once, and the sustained rate that refills that burst.</summary>
    public int ChatBurst { get; set; } = 20;
    public double ChatPerSecond { get; set; } = 5;
}

public sealed class SessionOptions
{
    /// <summary>
    /// With Redis configured, how often each instance reads recently ended sessions from the
    /// database, in case it missed the Redis message (0 turns the poll off).
    /// </summary>
    public int RevocationPollMilliseconds { get; set; } = 500;
}

public sealed class UploadOptions
{
    public long MaxBytes { get; set; } = 25 * 1024 * 1024;
}
