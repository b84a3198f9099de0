package dev.messengerhandover.account;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.bot.BotSettings;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.config.MessengerConfig;
import dev.messengerhandover.graph.PageAccess;
import dev.messengerhandover.handover.BotCatalogue;
import dev.messengerhandover.handover.HumanIntentMatcher;
import dev.messengerhandover.handover.Rules;
import dev.messengerhandover.handover.ThreadControl;
import dev.messengerhandover.handover.availability.Availability;
import dev.messengerhandover.handover.availability.Availability.WhenClosed;
import dev.messengerhandover.handover.availability.BusinessHours;
import dev.messengerhandover.handover.event.Delivery;
import dev.messengerhandover.handover.event.WhatsAppRoles;
import io.quarkus.runtime.Startup;

/**
 * Every account this deployment serves, found by a delivery entry's id in constant time, whatever their number. Built
 * once at start-up from one of: a single Page's token ({@code messenger.page-access-token}, its linked Instagram
 * account in {@code messenger.instagram-id}), {@code messenger.pages} (JSON), or {@code handover.pages-secret} (the same
 * JSON in Secrets Manager). Each account gets its own rules and catalogue, its catalogue checked against its platform's
 * text limit. Anything missing or malformed fails start-up with the Page and the field named.
 *
 * <p>When Graph answers 190 for a Page configured from the secret (its token rotated), the secret is read again, at most
 * once a minute, and the new tokens replace the old.
 */
// Built at start-up: a bad Pages setting or catalogue fails the deployment's init, not a user's first message.
@Startup
@ApplicationScoped
public class Accounts {

    private static final Logger LOG = Logger.getLogger(Accounts.class);
    static final String DEFAULT_CATALOGUE = "bot-catalogue.json";
    private static final Duration REREAD_AT_MOST_EVERY = Duration.ofMinutes(1);
    private static final int UNKNOWN_LOGGED = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was last seen going wrong with an account's Graph calls, for the operator API. */
    public record GraphError(long at, String summary) {
    }

    private final MessengerConfig messenger;
    private final HandoverConfig handover;
    private final PagesSecret secret;
    private final Clock clock;
    private volatile Map<String, Account> pages;
    private volatile Map<String, Account> instagram;
    private volatile Map<String, Account> whatsApp;
    /** One Page configured by its token: it is every Page entry, whatever id Meta gives it. */
    private volatile Account single;
    private final Map<String, GraphError> errors = new ConcurrentHashMap<>();
    private final Set<String> unknownLogged = ConcurrentHashMap.newKeySet();
    private final Set<String> singlePageIds = ConcurrentHashMap.newKeySet();
    private volatile long lastReread;

    @Inject
    public Accounts(MessengerConfig messenger, HandoverConfig handover, PagesSecret secret) {
        this(messenger, handover, secret, Clock.systemUTC());
    }

    Accounts(MessengerConfig messenger, HandoverConfig handover, PagesSecret secret, Clock clock) {
        this.messenger = messenger;
        this.handover = handover;
        this.secret = secret;
        this.clock = clock;
        load();
    }

    /** The account a delivery's entry is for; empty for one this deployment does not serve (logged once per id). */
    public Optional<Account> forEntry(String object, String entryId) {
        Account account;
        if (Delivery.INSTAGRAM.equals(object)) {
            account = instagram.get(entryId);
        } else if (Delivery.WHATSAPP.equals(object)) {
            account = whatsApp.get(entryId); // a WhatsApp event's account is its phone number (the entry: the WABA)
        } else {
            account = single != null ? single : pages.get(entryId);
            if (account == single && entryId != null && singlePageIds.size() < 4) {
                singlePageIds.add(entryId); // the Page's real id, for the sweep: its threads are indexed by it
            }
        }
        if (account == null && unknownLogged.size() < UNKNOWN_LOGGED && unknownLogged.add(object + ":" + entryId)) {
            LOG.warnf("delivery entry for %s %s, which is not configured here: acknowledged and ignored", object,
                    entryId);
        }
        return Optional.ofNullable(account);
    }

    /** The account an operator names ({@code pageId} in the operator API: a Page or an Instagram account id). */
    public Optional<Account> byId(String id) {
        if (single != null && !instagram.containsKey(id)) {
            return Optional.of(single);
        }
        var page = pages.get(id);
        if (page != null) {
            return Optional.of(page);
        }
        var number = whatsApp.get(id);
        return number != null ? Optional.of(number) : Optional.ofNullable(instagram.get(id));
    }

    /** Every account, Pages first, each followed by its Instagram account. */
    public List<Account> all() {
        var all = new ArrayList<Account>();
        if (single != null) {
            all.add(single);
        }
        all.addAll(pages.values());
        all.addAll(instagram.values());
        all.addAll(whatsApp.values());
        return Collections.unmodifiableList(all);
    }

    /**
     * The ids deliveries gave {@code account}'s entries on this instance: for one Page configured by its token, the
     * Page's id (its threads are stored and indexed by it); for any other account, its own id.
     */
    public List<String> pageIdsSeen(Account account) {
        return account == single ? List.copyOf(singlePageIds) : List.of(account.id());
    }

    public Optional<GraphError> lastGraphError(Account account) {
        return Optional.ofNullable(errors.get(account.id()));
    }

    /**
     * Graph refused an account's call. A rejected token (190) of a Page from the secret reads the secret again, at
     * most once a minute: the token may have been rotated. Returns the account as it is now when its token changed,
     * so that the caller may try once more.
     */
    public Optional<Account> graphFailed(Account account, String summary, boolean tokenRejected) {
        errors.put(account.id(), new GraphError(clock.millis(), summary));
        if (!tokenRejected || handover.pagesSecret().isEmpty()) {
            return Optional.empty();
        }
        synchronized (this) {
            long now = clock.millis();
            if (now - lastReread >= REREAD_AT_MOST_EVERY.toMillis()) {
                lastReread = now;
                try {
                    load();
                    LOG.infof("%s: token rejected, the Pages secret read again", account);
                } catch (RuntimeException e) {
                    LOG.warnf("%s: token rejected, and reading the Pages secret again failed: %s", account,
                            e.getMessage());
                }
            }
        }
        var now = switch (account.kind()) {
            case INSTAGRAM -> instagram.get(account.id());
            case WHATSAPP -> whatsApp.get(account.id());
            case MESSENGER -> single != null ? single : pages.get(account.id());
        };
        return now != null && !now.access().sameTokenAs(account.access()) ? Optional.of(now) : Optional.empty();
    }

    /**
     * Reads the Pages again from where they are configured, as a new instance does at start-up: what changed in the
     * Pages secret since (a Page's bot, a token, a Page added) applies from the next delivery on. A source that cannot
     * be read, or a setting that is wrong, fails with the reason and leaves the accounts as they were.
     */
    public synchronized void reload() {
        load();
    }

    private void load() {
        var defaults = new AccountSettings.Defaults(messenger.pageInboxAppId(), messenger.instagramInboxAppId(),
                handover.catalogue(), handover.welcomeBack(), handover.requestPolicy(), handover.routingMode(),
                handover.fallbackLimit(), handover.handoffPayload(), handover.nlpConfidence(),
                availability(handover.availability()));
        var sources = new ArrayList<String>();
        messenger.pageAccessToken().filter(t -> !t.isBlank()).ifPresent(t -> sources.add("messenger.page-access-token"));
        messenger.pages().filter(t -> !t.isBlank()).ifPresent(t -> sources.add("messenger.pages"));
        handover.pagesSecret().filter(t -> !t.isBlank()).ifPresent(t -> sources.add("handover.pages-secret"));
        if (sources.isEmpty()) {
            throw new IllegalStateException("no Page configured: set messenger.page-access-token (one Page), or"
                    + " messenger.pages or handover.pages-secret (several)");
        }
        if (sources.size() > 1) {
            throw new IllegalStateException("set one of " + String.join(", ", sources) + ", not several");
        }
        var catalogues = new HashMap<String, BotCatalogue>();
        var newPages = new LinkedHashMap<String, Account>();
        var newInstagram = new LinkedHashMap<String, Account>();
        var newWhatsApp = new LinkedHashMap<String, Account>();
        Account newSingle = null;
        switch (sources.get(0)) {
            case "messenger.page-access-token" -> {
                var token = messenger.pageAccessToken().orElseThrow();
                var settings = AccountSettings.of(Account.TOKEN_PAGE, token, messenger.instagramId(), "Page",
                        defaults);
                var access = PageAccess.of(null, token, messenger.appSecret());
                newSingle = account(Account.TOKEN_PAGE, AccountKind.MESSENGER, null, settings, access, catalogues,
                        "messenger.page-access-token");
                if (settings.instagramId().isPresent()) {
                    var id = settings.instagramId().get();
                    newInstagram.put(id, account(id, AccountKind.INSTAGRAM, null, settings, access, catalogues,
                            "messenger.instagram-id"));
                }
            }
            default -> {
                var source = sources.get(0);
                String text = source.equals("messenger.pages") ? messenger.pages().orElseThrow()
                        : secret.read(handover.pagesSecret().orElseThrow());
                Map<String, AccountSettings> all;
                Map<String, AccountSettings> numbers;
                try {
                    var root = JSON.readTree(text);
                    all = AccountSettings.parseAll(source, root, defaults);
                    numbers = AccountSettings.parseWhatsApp(source, root, defaults);
                } catch (IOException e) {
                    throw new IllegalArgumentException(source + ": not valid JSON");
                }
                for (var settings : numbers.values()) {
                    var access = PageAccess.of(settings.pageId(), settings.accessToken(), messenger.appSecret());
                    newWhatsApp.put(settings.pageId(), account(settings.pageId(), AccountKind.WHATSAPP,
                            settings.pageId(), settings, access, catalogues,
                            source + ": WhatsApp number " + settings.pageId()));
                }
                for (var settings : all.values()) {
                    var access = PageAccess.of(settings.pageId(), settings.accessToken(), messenger.appSecret());
                    newPages.put(settings.pageId(), account(settings.pageId(), AccountKind.MESSENGER,
                            settings.pageId(), settings, access, catalogues, source + ": Page " + settings.pageId()));
                    if (settings.instagramId().isPresent()) {
                        var id = settings.instagramId().get();
                        if (newInstagram.containsKey(id)) {
                            throw new IllegalArgumentException(source + ": Page " + settings.pageId()
                                    + ": \"instagramId\" " + id + " is linked to another Page too");
                        }
                        newInstagram.put(id, account(id, AccountKind.INSTAGRAM, settings.pageId(), settings, access,
                                catalogues, source + ": Page " + settings.pageId()));
                    }
                }
            }
        }
        this.single = newSingle;
        this.pages = Collections.unmodifiableMap(newPages); // in the order configured, for the operator API
        this.instagram = Collections.unmodifiableMap(newInstagram);
        this.whatsApp = Collections.unmodifiableMap(newWhatsApp);
        LOG.infof("serving %d Page(s), %d Instagram account(s) and %d WhatsApp number(s)", newSingle != null ? 1
                : newPages.size(), newInstagram.size(), newWhatsApp.size());
    }

    private Account account(String id, AccountKind kind, String pageId, AccountSettings settings, PageAccess access,
            Map<String, BotCatalogue> catalogues, String where) {
        var catalogue = catalogues.computeIfAbsent(settings.catalogue().orElse(""), Accounts::readCatalogue);
        fits(catalogue, kind, where);
        // WhatsApp names the parties by role: the bot is the Service entry point's primary, the helpdesk the
        // escalation partner.
        var inbox = switch (kind) {
            case MESSENGER -> settings.inboxAppId();
            case INSTAGRAM -> settings.instagramInboxAppId();
            case WHATSAPP -> WhatsAppRoles.ESCALATION;
        };
        var botId = kind == AccountKind.WHATSAPP ? WhatsAppRoles.PRIMARY : messenger.appId();
        var bot = BotChoices.settings(settings.bot(), handover.bot(), catalogue, where);
        var rules = new Rules(botId, inbox, settings.handoffPayload(), settings.fallbackLimit(),
                settings.welcomeBack(), settings.requestPolicy(), handover.nlpNames(), settings.nlpConfidence(),
                settings.availability()).with(kind.limits(), !(bot instanceof BotSettings.Catalogue));
        var control = new ThreadControl(rules, catalogue, HumanIntentMatcher.forLanguages(catalogue.languages()));
        var name = kind == AccountKind.INSTAGRAM ? settings.name() + " (Instagram)" : settings.name();
        if (kind == AccountKind.WHATSAPP) {
            LOG.infof("WhatsApp number %s (WABA %s): the bot answers as the Service entry point's primary, hands over"
                    + " to the escalation partner", id, settings.wabaId().orElse("?"));
        }
        return new Account(id, kind, pageId, name, access, control, settings.routingMode(), bot);
    }

    /** The global business hours and waits; a malformed one fails start-up, named. */
    static Availability availability(HandoverConfig.Availability a) {
        var hours = BusinessHours.parse(a.timeZone(), a.businessHours().orElse(null), a.closedDays().orElse(null));
        return new Availability(hours, WhenClosed.parse("handover.when-closed", a.whenClosed()),
                a.agentWait().notifyAfter(), a.agentWait().giveUpAfter(), a.satisfaction());
    }

    /** Every text the bot may send fits the platform: nothing is cut mid-word at send time. */
    static void fits(BotCatalogue catalogue, AccountKind kind, String where) {
        // Its answers carry the offer of a person: the limit of a text with quick replies (buttons) holds.
        var tooLong = catalogue.longestText();
        int limit = kind.limits().textWithReplies();
        if (tooLong.length() > limit) {
            throw new IllegalArgumentException(where + ": the bot catalogue has a text of " + tooLong.length()
                    + " characters; " + kind.wire() + " takes at most " + limit + ": \""
                    + tooLong.substring(0, 40) + "…\"");
        }
    }

    private static BotCatalogue readCatalogue(String path) {
        try (InputStream in = path.isEmpty()
                ? Thread.currentThread().getContextClassLoader().getResourceAsStream(DEFAULT_CATALOGUE)
                : Files.newInputStream(Path.of(path))) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_CATALOGUE + " is missing from the class path");
            }
            return BotCatalogue.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bot catalogue " + (path.isEmpty() ? DEFAULT_CATALOGUE
                    : path), e);
        }
    }
}
