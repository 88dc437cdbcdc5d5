using Switchboard.Features.TicketsInChat;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Switchboard.Data;
using Switchboard.Features.Auth;
using Switchboard.Features.Calls;
using Switchboard.Features.Chat;
using Switchboard.Features.Health;
using Switchboard.Features.Notifications;
using Switchboard.Features.Projects;
using Switchboard.Features.Templates;
using Switchboard.Features.Tickets;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.OpenApi;
using Switchboard.Infrastructure.RateLimiting;
using Switchboard.Infrastructure.Storage;
using Switchboard.Realtime;

if (await Cli.RunAsync(args, Console.Out) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json and the web app (wwwroot) ship beside the binary; DataDir stays relative to the working directory.
    ContentRootPath = ContentRoot.Resolve(args),
});

// ASP.NET Core's own request log writes whole URLs, socket tokens included: it stays quiet whatever
// the configuration, and RequestLoggingMiddleware writes one redacted line per request instead.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
// The health check service logs every failing probe, once a second per load balancer during an
// outage; DatabaseOutage and the Redis connection events log each outage once instead.
builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);

// Configuration: appsettings.json, environment variables (Jwt__SigningKey) and --Key=value arguments.
builder.Services.Configure<SwitchboardOptions>(builder.Configuration);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Fill);
builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
builder.Services.AddSingleton<DatabaseOutage>();
builder.Services.AddSwitchboardOpenApi();

// Data
builder.Services.AddSwitchboardDatabase(builder.Configuration);
builder.Services.AddSwitchboardRedis(builder.Configuration);
builder.Services.AddSwitchboardHealthChecks();
builder.Services.AddSwitchboardMetrics(builder.Configuration);

// Auth
builder.Services.AddSingleton<SigningKey>();
builder.Services.AddSingleton<Passwords>();
builder.Services.AddSwitchboardRateLimits();
builder.Services.AddSessions();
builder.Services.AddScoped<TokenService>();
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
    .Configure<SigningKey, IOptions<SwitchboardOptions>>((o, key, options) =>
        o.TokenValidationParameters = TokenService.ValidationParameters(key, options.Value.Jwt));
builder.Services.AddAuthorization();
builder.Services.SkipKeyRingAtStart();

// Features
builder.Services.AddScoped<ProjectLifecycle>();
builder.Services.AddScoped<Switchboard.Realtime.Presence.IPresenceAudience, PresenceAudience>();
builder.Services.AddSingleton<IFileStorage, LocalFileStorage>();
builder.Services.AddSingleton<SignedUrls>();
builder.Services.AddRealtime(builder.Configuration);
builder.Services.AddChat();
builder.Services.AddTickets();
builder.Services.AddTicketsInChat();
builder.Services.AddNotifications();
builder.Services.AddCalls();

builder.Services.AddCors(o => o.AddDefaultPolicy(p =>
{
    var origins = builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
    p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod();
}));

// Behind a proxy, the client address and scheme come from X-Forwarded-*, trusted only from loopback
// and the addresses in Proxy:KnownProxies.
builder.Services.Configure<ForwardedHeadersOptions>(o =>
{
    o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
    foreach (var proxy in builder.Configuration.GetSection("Proxy:KnownProxies").Get<string[]>() ?? [])
    {
        o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
    }
});

var app = builder.Build();

await app.MigrateDatabaseAsync();

app.UseForwardedHeaders();
app.UseSwitchboardMetrics();
app.UseMiddleware<RequestLoggingMiddleware>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseTrailingSlashTolerance();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
app.UseRouting();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
// After authorization: nobody unauthenticated gets a body buffered.
app.UseMiddleware<TextInputMiddleware>();

app.MapOpenApi();
app.MapScalarApiReference("/docs");
app.MapHealth();
app.MapAuth();
app.MapUsers();
app.MapProfiles();
app.MapProjects();
app.MapTickets();
app.MapTicketsInChat();
app.MapChat();
app.MapNotificationsFeature();
app.MapTemplates();
app.MapCallsFeature();
app.MapRealtime();

// Unknown API paths get a JSON 404 (405 for a known path and a wrong method); everything else falls through to the web app.
app.MapApiFallback();
app.MapFallbackToFile("index.html");
app.ShareEndpoints();

app.Run();
return 0;

public partial class Program;
