"""Text pools for the synthetic demo world: names, places, comments and handles (niches are in ``demo.niches``).

Brand handles are invented for the demo; book titles are public-domain classics.
"""

from __future__ import annotations

import itertools
import random
import string

from grassroots.demo.niches import DRAWN_NICHES as DRAWN_NICHES
from grassroots.demo.niches import NICHES as NICHES
from grassroots.demo.niches import Niche

# The demo brand (synthetic): its store is the demo store, and genuine fans mention it unpaid.
DEMO_BRAND = "dewdrop.skin"
FIRST_NAMES = (
    "maya", "liam", "sofia", "noah", "aisha", "oliver", "chloe", "mateo", "priya", "jack", "emma", "kofi",
    "lucia", "ethan", "hana", "leo", "amara", "finn", "zara", "oscar", "nina", "samir", "ella", "jonas",
    "ruby", "diego", "freya", "kai", "leila", "theo", "grace", "arjun", "isla", "marcus", "yuki", "felix",
    "olivia", "tariq", "mia", "lucas", "ava", "dev", "sienna", "ben", "jade", "omar", "poppy", "hugo",
    "naomi", "ravi", "lena", "tom", "ines", "max", "tess", "jamal", "clara", "sam", "ivy", "elliot",
)  # fmt: skip
LAST_NAMES = (
    "chen", "walsh", "garcia", "okafor", "patel", "murphy", "silva", "nguyen", "kowalski", "brown", "khan",
    "schmidt", "rossi", "taylor", "kim", "dubois", "mensah", "larsen", "lopez", "evans", "haddad", "moreau",
    "becker", "obrien", "singh", "tanaka", "novak", "ali", "hughes", "costa", "fischer", "reyes", "clarke",
    "ahmed", "jensen", "romero", "byrne", "sato", "mcleod", "ibrahim", "wright", "martin", "park", "vidal",
)  # fmt: skip
CITIES = (
    "Austin, US", "Portland, US", "Chicago, US", "Denver, US", "Nashville, US", "Brooklyn, US",
    "San Diego, US", "Atlanta, US", "Seattle, US", "Manchester, UK", "Bristol, UK", "Leeds, UK",
    "Glasgow, UK", "London, UK", "Brighton, UK", "Dublin, IE", "Berlin, DE", "Hamburg, DE", "Munich, DE",
    "Toronto, CA", "Vancouver, CA", "Montreal, CA", "Melbourne, AU", "Sydney, AU", "Brisbane, AU",
    "Auckland, NZ", "Lyon, FR", "Paris, FR", "Amsterdam, NL", "Barcelona, ES", "Lisbon, PT",
    "Copenhagen, DK", "Stockholm, SE", "Cape Town, ZA",
)  # fmt: skip
PLACES = (
    "Lisbon", "Kyoto", "Edinburgh", "Oaxaca", "Tbilisi", "Ljubljana", "Hoi An", "Porto", "Marrakech",
    "Reykjavik", "Cape Town", "Quebec City", "Seville", "Bergen",
)  # fmt: skip
PET_NAMES = ("Biscuit", "Luna", "Miso", "Pepper", "Olive", "Ziggy", "Maple", "Bruno", "Tofu", "Nala")
BOOKS = (
    "Middlemarch", "Jane Eyre", "Frankenstein", "Little Women", "Dracula", "Anna Karenina",
    "Wuthering Heights", "Great Expectations", "Pride and Prejudice", "The Odyssey",
)  # fmt: skip
FAN_WORDS = ("daily", "life", "vibes", "notes", "world", "journal", "club", "diaries", "things", "corner")
# Endings that make one of the few names above into one of many people (see ``crowd``).
CROWD_WORDS = (
    "xo", "art", "home", "eats", "fit", "reads", "co", "here", "too", "mama", "papa", "runs", "bakes", "travels",
    "studio", "style", "lab", "jr", "uk", "nyc", "la", "tx", "au", "ie", "grows", "makes", "writes", "plays",
    "sews", "paints", "brews", "rides", "hikes", "knits", "cooks", "shoots", "sings", "digs", "dances", "lifts",
)  # fmt: skip

SPONSORED_CAPTIONS = (
    "Been testing the {product} from @{brand} for two weeks and here's my honest take.",
    "New in: the {product} by @{brand}. First impressions below.",
    "Teamed up with @{brand} to show you how I use the {product}.",
    "Everyone keeps asking about the {product}. It's from @{brand} and yes, it's that good.",
)
GENERIC_REACTIONS = (
    "love this!", "so good 😍", "obsessed 🙌", "this is amazing", "yes!!", "🔥", "❤️", "beautiful",
    "so helpful, thank you", "wow", "this made my day", "you never miss",
)  # fmt: skip
GENERIC_QUESTIONS = (
    "how long have you been using it?", "would you recommend it?", "is it worth the price?",
    "where was this taken?", "do you have a video on this?",
)  # fmt: skip
PURCHASE_INTENT = (
    "where can I get this?", "link please!", "just ordered 🙌", "is there a discount code?",
    "need this asap", "adding to cart right now", "does it ship to the UK?",
)  # fmt: skip
OBJECTIONS = ("too pricey for me", "not sure it's worth the hype", "feels a bit like an ad tbh")
BOT_COMMENTS = (
    "Great post!", "Nice pic 🔥", "Love this ❤️", "🔥🔥🔥", "Follow me for more!", "Awesome content 👏",
    "😍😍😍", "Nice 👍", "Check my page 💯", "DM us to collab 📩", "Wow amazing", "💯💯",
)  # fmt: skip
POD_COMMENTS = (
    "Obsessed!! 😍", "Yesss this is everything 🔥", "Saving this for later 🙌", "You never miss 💕",
    "Love love love", "Goals ✨", "So inspiring!!", "Need this in my life", "Stunning as always 😍",
    "This is so good babe", "Iconic 🙌", "Can't stop watching this",
)  # fmt: skip
BIO_SUFFIXES = ("📍{city}", "collabs via DM", "✉️ email for collabs", "new posts every week", "")

COMMENT_KINDS = ("reaction", "question", "intent", "objection", "generic")
COMMENT_WEIGHTS = (0.45, 0.22, 0.20, 0.08, 0.05)
NICHE_SHARE = 0.55


def genuine_comment(rng: random.Random, niche: Niche) -> str:
    """A human comment: reaction, question, purchase intent or objection, niche-specific when possible."""
    kind = rng.choices(COMMENT_KINDS, cum_weights=_CUM_COMMENT_WEIGHTS)[0]
    niche_pool, generic_pool = {
        "reaction": (niche.reactions, GENERIC_REACTIONS),
        "question": (niche.questions, GENERIC_QUESTIONS),
        "intent": (niche.intent, PURCHASE_INTENT),
        "objection": (niche.objections, OBJECTIONS),
        "generic": (GENERIC_REACTIONS, GENERIC_QUESTIONS),
    }[kind]
    return in_own_words(rng, rng.choice(niche_pool if rng.random() < NICHE_SHARE else generic_pool))


# People phrase the same thought their own way; without this, real fans would look like copy-paste bots.
OPENERS = ("", "", "", "omg ", "ok ", "honestly ", "wait ", "lol ", "ahh ", "yes! ", "hmm ", "so ")
CLOSERS = ("", "", "", " 😍", "!!", " 🙌", " haha", " x", " 💛", " tbh", "...", " 🥹", " ✨")


def in_own_words(rng: random.Random, text: str) -> str:
    """The text with a person's own opener, closer and casing."""
    text = rng.choice(OPENERS) + text + rng.choice(CLOSERS)
    return text.lower() if rng.random() < 0.3 else text


def fan_handle(rng: random.Random) -> str:
    """A plausible follower handle: names and words, at most two digits."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    pattern = rng.randrange(4)
    if pattern == 0:
        return f"{first}.{last}"
    if pattern == 1:
        return f"{first}{last}{rng.randint(1, 99)}"
    if pattern == 2:
        return f"{first}.{rng.choice(FAN_WORDS)}"
    return f"{first}{last[0]}.{rng.choice(FAN_WORDS)}"


def crowd(handle: str, rng: random.Random) -> str:
    """The fan handle as one of tens of thousands of people: most get an ending (never a fourth digit).

    The names and words above give only a few thousand handles; without endings unrelated small creators in a
    small world share their commenters far beyond what real audiences do, and look like engagement pods.
    """
    roll = rng.random()
    if roll < 0.1:
        return handle
    if roll < 0.55 and not any(ch.isdigit() for ch in handle):
        return f"{handle}{rng.choice(('', '_', '.'))}{rng.randint(1, 99)}"
    return f"{handle}{rng.choice(('_', '.'))}{rng.choice(CROWD_WORDS)}"


def bot_handle(rng: random.Random) -> str:
    """A bot-like handle: a name or random letters followed by five to eight digits."""
    if rng.random() < 0.6:
        stem = rng.choice(FIRST_NAMES)
    else:
        stem = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 7)))
    return f"{stem}{rng.randrange(10**4, 10**8)}"


_CUM_COMMENT_WEIGHTS = tuple(itertools.accumulate(COMMENT_WEIGHTS))
