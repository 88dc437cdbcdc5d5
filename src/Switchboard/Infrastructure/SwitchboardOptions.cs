namespace Switchboard.Infrastructure;

/// <summary>Every configuration key the server reads, bound from appsettings and environment variables.</summary>
public sealed class SwitchboardOptions
{
    public string DataDir { get; set; } = "./data";
    public JwtOptions Jwt { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public SessionOptions Sessions { get; set; } = new();
    public UploadOptions Uploads { get; set; } = new();
    public SmtpOptions Smtp { get; set; } = new();
    public NotificationOptions Notifications { get; set; } = new();
    public RealtimeOptions Realtime { get; set; } = new();
    public PresenceOptions Presence { get; set; } = new();
    public CallOptions Calls { get; set; } = new();

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

/// <summary>Outgoing mail; notification emails are off while <see cref="Host"/> is empty.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    /// <summary><c>none</c>, <c>starttls</c> (upgrade when offered is not enough: it is required) or <c>tls</c> (implicit, port 465).</summary>
    public string Security { get; set; } = "none";
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public string From { get; set; } = "Switchboard <switchboard@localhost>";
}

public sealed class NotificationOptions
{
    /// <summary>How long a mention or direct message stays unread before it is emailed.</summary>
    public int EmailDelaySeconds { get; set; } = 600;
    /// <summary>How often the mailer looks for notifications to send.</summary>
    public int EmailPollSeconds { get; set; } = 30;
}

public sealed class RealtimeOptions
{
    /// <summary>How long a socket opened without <c>?token=</c> may take to send its <c>auth</c> frame.</summary>
    public double AuthTimeoutSeconds { get; set; } = 10;
    /// <summary>Sent in <c>hello</c>: a user socket pings at least this often, and is closed (4408) after twice this in silence.</summary>
    public int HeartbeatSeconds { get; set; } = 30;
}

public sealed class PresenceOptions
{
    /// <summary>A user with open sockets but no <c>activity</c> frame for this long is <c>away</c>.</summary>
    public double AwayAfterSeconds { get; set; } = 300;
    /// <summary>A user stays online (or away) this long after their last socket closed, then is <c>offline</c>.</summary>
    public double OfflineAfterSeconds { get; set; } = 30;
    /// <summary>How often presence is checked and, with Redis, this instance's entries are refreshed.</summary>
    public double TickSeconds { get; set; } = 1;
    /// <summary>With Redis: how long an instance's entries outlive its last refresh (a crashed instance's users go offline after this).</summary>
    public double InstanceTtlSeconds { get; set; } = 30;
}

public sealed class CallOptions
{
    /// <summary>A call nobody answers ends this long after it started, and those rung get <c>call_missed</c>.</summary>
    public double RingSeconds { get; set; } = 60;
    /// <summary>How often each instance looks for calls whose ring ran out and for people gone from open calls.</summary>
    public double SweepSeconds { get; set; } = 5;
    /// <summary>Someone still joined to a call but offline (no socket anywhere) for this long is taken out of it.</summary>
    public double LeaveOfflineAfterSeconds { get; set; } = 60;
    /// <summary>STUN servers handed to clients (<c>stun:host:3478</c>).</summary>
    public string[] StunUrls { get; set; } = [];
    /// <summary>TURN servers handed to clients (<c>turn:host:3478?transport=udp</c>, <c>turns:host:5349</c>).</summary>
    public string[] TurnUrls { get; set; } = [];
    /// <summary>coturn's <c>static-auth-secret</c>: with it, each client gets short-lived TURN credentials.</summary>
    public string TurnSecret { get; set; } = "";
    /// <summary>How long minted TURN credentials stay valid.</summary>
    public int TurnTtlSeconds { get; set; } = 86400;
    /// <summary><c>all</c>, or <c>relay</c> to make clients use TURN only (hides people's addresses from each other).</summary>
    public string IceTransportPolicy { get; set; } = "all";
}
