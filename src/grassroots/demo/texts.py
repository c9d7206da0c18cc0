"""Text pools for the synthetic demo world: names, places, niches, captions and comments.

Brand handles are invented for the demo; book titles are public-domain classics.
"""

from __future__ import annotations

import itertools
import random
import string
from dataclasses import dataclass


@dataclass(frozen=True)
class Niche:
    """Everything the generator needs to write believable content for one niche."""

    label: str
    words: tuple[str, ...]
    products: tuple[str, ...]
    captions: tuple[str, ...]
    hashtags: tuple[str, ...]
    bios: tuple[str, ...]
    reactions: tuple[str, ...]
    questions: tuple[str, ...]
    intent: tuple[str, ...]
    objections: tuple[str, ...]
    brands: tuple[str, ...]


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

NICHES: dict[str, Niche] = {
    "skincare": Niche(
        "Skincare",
        ("glow", "skin", "dewy", "serum"),
        ("vitamin C serum", "gel cleanser", "SPF 50 fluid", "ceramide moisturiser", "retinol night cream",
         "hydrating toner", "lip mask", "niacinamide serum"),
        ("Morning routine check: {product} first, then SPF. Skin has been so calm this week.",
         "Six weeks with the {product} and the texture on my cheeks is finally settling down.",
         "Honest review of the {product}: lovely texture, slight tingle, would repurchase.",
         "Sunday reset with a sheet mask, a podcast and way too much {product}.",
         "My barrier was wrecked this winter. Here's what actually helped, starting with the {product}.",
         "Shelfie update! The {product} is the one I reach for every single day.",
         "No filter, no makeup, just the {product} and a good night's sleep.",
         "Rating every step of my PM routine out of 10. The {product} gets a solid 9."),
        ("skincare", "skincareroutine", "glowingskin", "sensitiveskin", "spf", "skincarecommunity",
         "cleanbeauty", "selfcare", "barrierrepair", "skintok"),
        ("Sensitive skin, honest reviews ✨", "Licensed esthetician sharing routines that actually work",
         "Skincare nerd · SPF every day · no gatekeeping", "Dewy skin diaries 💧"),
        ("this glow is unreal 😍", "your skin looks amazing", "obsessed with this routine",
         "ok the texture of that serum 🤤", "skin goals honestly"),
        ("what shade is this?", "does it work on sensitive skin?", "can you use it with retinol?",
         "is it fragrance free?", "morning or night?"),
        ("where can I get this serum?", "adding this to my cart", "which size did you get?"),
        ("broke me out tbh", "this one stung my skin 😬", "didn't see a difference after a month"),
        ("dewdrop.skin", "lumenlab.co", "softpetal.beauty"),
    ),
    "fitness": Niche(
        "Fitness",
        ("lifts", "fit", "moves", "strong"),
        ("resistance bands", "protein shake", "lifting straps", "running shoes", "foam roller",
         "adjustable dumbbells", "pre-workout", "yoga mat"),
        ("Leg day done 🦵 Tried a new superset with the {product} and I'm feeling it already.",
         "Week {n} of my strength block. Deadlift finally moving again!",
         "20 minute home workout, no excuses. All you need is the {product}.",
         "Post-run refuel: banana, oats and a {product}. Simple works.",
         "Form check on my squat, be honest in the comments.",
         "Rest days are training days too. Mobility work with the {product}.",
         "New PR today! Consistency beats motivation every time.",
         "My go-to warmup before any session, using nothing but the {product}."),
        ("fitness", "gymlife", "strengthtraining", "homeworkout", "fitfam", "legday", "running", "mobility",
         "fitnessmotivation", "workout"),
        ("Strength coach · lifting for longevity 🏋️", "Home workouts for busy people",
         "Runner, lifter, dog walker", "Certified PT · small steps, big changes"),
        ("beast mode 💪", "that form is so clean", "saving this for tomorrow", "you make it look easy",
         "needed this motivation today"),
        ("how many sets do you do?", "what weight is that?", "is this ok for beginners?",
         "how do you stop knee pain on these?", "what shoes are those?"),
        ("where are the bands from?", "link to the mat please", "just ordered the same ones 🙌"),
        ("hurt my back doing this tbh", "not a fan of the supplement push"),
        ("ironleaf.fit", "stridewear.co", "peakfuel.labs"),
    ),
    "vegan": Niche(
        "Vegan food",
        ("plants", "vegan", "greens", "eats"),
        ("cashew cream", "smoked tofu", "chickpea curry", "oat milk latte", "jackfruit tacos",
         "lentil bolognese", "tahini dressing", "miso glaze"),
        ("Weeknight dinner in 25 minutes: {product} over rice, and nobody missed the meat.",
         "Meal prep Sunday! A big batch of {product} to last till Wednesday.",
         "The {product} recipe you asked for is finally here. Full method below.",
         "Tried veganising my grandma's classic with {product} and honestly, she approved.",
         "Budget vegan week, day {n}: {product} for under £2 a portion.",
         "Brunch spread with homemade {product}. Who's coming over?",
         "Plant protein does not have to be boring. Case in point: {product}.",
         "Cosy bowl season. {product}, greens and a squeeze of lemon."),
        ("vegan", "plantbased", "veganrecipes", "whatveganseat", "mealprep", "veganfood", "dairyfree",
         "easyrecipes", "veganbudget", "plantpowered"),
        ("Easy plant-based recipes 🌱", "Vegan on a budget · family friendly",
         "Recipe developer · cookbook in progress", "Plants, pasta and too much garlic"),
        ("making this tonight!", "this looks so good 😍", "my kids loved this", "the colours 🤤",
         "best recipe on here honestly"),
        ("can I freeze this?", "what can I use instead of cashews?", "is it gluten free?",
         "how long does it keep?", "what brand of tofu?"),
        ("where do you get the tofu?", "need the recipe link please!", "is there a discount code for the pans?"),
        ("too much effort for a weeknight tbh", "mine came out bland"),
        ("oatember.co", "sproutbox.kitchen", "mapleroot.foods"),
    ),
    "parenting": Niche(
        "Parenting",
        ("mama", "dad", "littles", "family"),
        ("baby carrier", "toddler snack cups", "sleep sack", "stroller", "busy board", "bath toys",
         "reusable nappies", "night light"),
        ("Nap time win! The {product} has been a game changer for our {n} month old.",
         "Real talk: toddler mornings are chaos. Here's what keeps us sane, including the {product}.",
         "Packing the nursery bag, featuring our trusty {product}.",
         "What I wish I'd known before baby number one. Spoiler: get the {product}.",
         "Rainy day activities that don't need a screen, starring the {product}.",
         "Testing the {product} on a 3 hour train ride. Verdict below.",
         "Our bedtime routine, step by step. The {product} is non-negotiable.",
         "Parent life is snack management and finding the {product} under the sofa."),
        ("parenting", "momlife", "dadlife", "toddlerlife", "newmom", "motherhood", "parentingtips",
         "babyessentials", "familytime", "realparenting"),
        ("Parent of two · real parenting, no filter", "Three kids, tired but happy",
         "Gentle parenting tips from a former teacher", "Twin parent surviving on coffee ☕"),
        ("this is so us 😂", "so relatable", "your little one is adorable", "needed to hear this today",
         "saving this for when baby arrives"),
        ("what age did you start this?", "is it easy to wash?", "does it fit a newborn?",
         "how do you get them to nap?", "which size did you get?"),
        ("where is the carrier from?", "need one of these asap"),
        ("ours broke after a week", "didn't work for my toddler at all"),
        ("littlelark.baby", "tinytrail.kids", "cosycub.co"),
    ),
    "travel": Niche(
        "Travel",
        ("roams", "wanders", "travels", "abroad"),
        ("carry-on backpack", "packing cubes", "travel pillow", "rail pass", "noise cancelling headphones",
         "universal adapter", "compact camera", "hiking boots"),
        ("Three days in {place} on a budget. Everything I spent is in the carousel.",
         "Sunrise hike worth every 4am alarm. Packed light with just the {product}.",
         "Hidden spots in {place} the guidebooks skip.",
         "Carry-on only for two weeks? Yes, thanks to the {product}.",
         "Slow travel diaries: rainy afternoons in {place} are underrated.",
         "Ranking every bakery I tried in {place}. Be warned, I tried a lot.",
         "Night train out of {place}, and the {product} saved my sleep.",
         "If you only have one day in {place}, do this."),
        ("travel", "traveltips", "budgettravel", "slowtravel", "wanderlust", "travelgram", "carryononly",
         "solotravel", "hiddengems", "travelguide"),
        ("Slow travel on a budget 🌍", "Solo traveller · 40 countries and counting",
         "Weekend trips from a 9-5", "Travel nurse exploring between contracts ✈️"),
        ("adding this to my list!", "stunning shots 😍", "this place looks unreal", "take me with you",
         "such a helpful guide"),
        ("how did you get there from the airport?", "what month did you go?", "is it safe for solo travel?",
         "what lens is this?", "how much was the hostel?"),
        ("where can I get that backpack?", "link to the cubes please!", "just booked 🙌"),
        ("way too touristy now tbh", "went last year and it was packed"),
        ("wanderpack.gear", "driftstay.co", "atlasroam.travel"),
    ),
    "gaming": Niche(
        "Gaming",
        ("plays", "gg", "pixel", "games"),
        ("mechanical keyboard", "capture card", "headset", "controller", "gaming chair", "streaming mic",
         "ring light", "wireless mouse"),
        ("Finally hit Diamond! Clutch round breakdown, played on my new {product}.",
         "Desk setup tour 2.0: new {product}, same messy cables.",
         "Cozy game of the week, perfect for a rainy evening.",
         "Speedrun attempt number {n}. So close this time.",
         "Retro Friday: pulled out the old console and a new {product}.",
         "Unpopular opinion: the {product} matters more than the GPU.",
         "Going live tonight at 8, come hang and help me survive this boss.",
         "Week {n} of learning to build levels. Here's what I made."),
        ("gaming", "gamer", "cozygames", "pcsetup", "streamer", "indiegames", "retrogaming", "gamingsetup",
         "twitchstreamer", "speedrun"),
        ("Cozy games & chill streams 🎮", "Indie game dev in the making", "Competitive FPS · coffee-powered",
         "Retro collector · 300+ cartridges"),
        ("that clutch was insane", "clean setup 🔥", "gg!", "this game looks so cozy", "love your streams"),
        ("what keyboard switches are those?", "what game is this?", "is it on Switch?", "what mic do you use?",
         "how long did that take?"),
        ("where did you get the keyboard?", "just ordered the same mic 🙌"),
        ("my headset broke after a month", "overhyped tbh"),
        ("pixelforge.gg", "clutchgear.co", "nightowl.audio"),
    ),
    "fashion": Niche(
        "Fashion",
        ("style", "wears", "closet", "looks"),
        ("linen blazer", "wide leg jeans", "knit vest", "leather loafers", "slip dress", "trench coat",
         "chunky trainers", "crossbody bag"),
        ("Three ways to style the {product} for autumn.",
         "Thrift haul! Found a vintage {product} for next to nothing.",
         "Capsule wardrobe update: the {product} earns its spot.",
         "Outfit repeat because good pieces deserve it. Yes, the {product} again.",
         "Work to weekend in one {product}.",
         "Petite-friendly fits that actually work, starting with the {product}.",
         "Colour analysis said autumn, so here's a {product} in rust.",
         "Getting dressed for a rainy day in {place}."),
        ("fashion", "ootd", "styleinspo", "capsulewardrobe", "thrifted", "slowfashion", "outfitideas",
         "petitefashion", "sustainablefashion", "whatiwore"),
        ("Slow fashion · thrift finds · capsule wardrobe", "Petite style tips from a 5'1\" human",
         "Outfit ideas for real budgets", "Stylist & vintage hunter 🧥"),
        ("this fit is everything 😍", "obsessed with the colour", "you always look so put together",
         "love love love", "styling goals"),
        ("what size are you wearing?", "where's the bag from?", "does it run small?", "is it see-through?",
         "what's your height?"),
        ("where can I get the blazer?", "adding to cart right now"),
        ("the quality went downhill tbh", "not a fan of the fit on me"),
        ("threadandtide", "loomlane.studio", "velvetfig.co"),
    ),
    "home": Niche(
        "Home & DIY",
        ("home", "makes", "diy", "nest"),
        ("peel and stick tiles", "cordless drill", "limewash paint", "floating shelves", "orbital sander",
         "pegboard", "wood stain", "tile grout"),
        ("Rental-friendly kitchen refresh with {product}. Before and after in the carousel.",
         "Weekend project: built {product} for under £50.",
         "Day {n} of the bathroom reno. Send coffee.",
         "First time using {product}, and I'm hooked.",
         "Thrifted dresser flip! Sanded, primed and finished with {product}.",
         "Hallway glow-up using nothing but {product} and patience.",
         "Mistakes I made with {product} so you don't have to.",
         "Small space, big storage: the {product} trick."),
        ("diy", "homedecor", "renterfriendly", "beforeandafter", "homereno", "upcycling", "diyhome",
         "interiordesign", "furnitureflip", "smallspaces"),
        ("Renter-friendly DIY 🔨", "Turning a 1930s semi into a home", "Furniture flips & thrift finds",
         "Small space living, big ideas"),
        ("what a transformation 😍", "this is so clever", "the before vs after!!", "love the colour",
         "you're so talented"),
        ("what paint colour is this?", "does it peel off easily?", "how long did it take?",
         "will it work in a bathroom?", "which drill do you use?"),
        ("where did you get the tiles?", "need this for my flat"),
        ("mine started peeling after a month", "looks like a lot of work tbh"),
        ("birchandbolt", "nookmakers.co", "paintpot.studio"),
    ),
    "pets": Niche(
        "Pets",
        ("paws", "pup", "whiskers", "pets"),
        ("puzzle feeder", "harness", "cat tree", "dental chews", "calming bed", "grooming brush",
         "treat pouch", "dog raincoat"),
        ("Meet our newest family member! {pet} settled in so fast with the {product}.",
         "Training update: {pet} finally mastered recall. Treats from the {product} helped.",
         "Rainy walk essentials, featuring a very unimpressed {pet} and the {product}.",
         "Enrichment idea for bored pets: the {product}.",
         "Adopt don't shop! {pet} is {n} years old today 🎉",
         "{pet} vs the {product}: round one.",
         "Senior pet care tips we learned the hard way.",
         "Sunday zoomies brought to you by the {product}."),
        ("dogsofinstagram", "catsofinstagram", "adoptdontshop", "dogtraining", "rescuedog", "petcare",
         "puppylove", "catlife", "seniordog", "petsofinstagram"),
        ("Rescue dog parent 🐾", "Two cats, one very patient human", "Positive reinforcement dog trainer",
         "Senior pet advocate"),
        ("that face 😍", "protect at all costs", "my dog does the same thing 😂", "so cute!!",
         "what a good pup"),
        ("what breed is this?", "is it safe for puppies?", "how did you teach that?", "does it work for cats?",
         "what size harness?"),
        ("where can I get the feeder?", "my dog needs this"),
        ("my dog destroyed it in a day", "my cat ignored it completely"),
        ("wagglebox", "purrpantry.co", "barkbright.pets"),
    ),
    "books": Niche(
        "Books",
        ("reads", "pages", "booknook", "shelf"),
        ("reading light", "e-reader", "book sleeve", "annotation tabs", "bookmark set", "tote bag",
         "bookshelf", "reading journal"),
        ("Finished {book} in one sitting. No spoilers, but that ending!",
         "Monthly wrap-up: {n} books, one five-star, one DNF.",
         "Cozy reading nook tour, now with a {product}.",
         "Annotating {book} with my new {product}.",
         "Hot take: {book} is better the second time.",
         "Books that live rent-free in my head, starting with {book}.",
         "Library haul! Plus the {product} I can't read without.",
         "Buddy read of {book} starts Monday. Who's in?"),
        ("bookstagram", "booktok", "currentlyreading", "bookreview", "bookish", "readingnook", "tbr",
         "bookclub", "booklover", "classics"),
        ("Reading my way through the classics 📚", "Book reviews & cozy reading nooks",
         "Librarian by day, reader by night", "Fantasy, romance & too many tabs"),
        ("adding to my TBR!", "that ending destroyed me", "love your reviews", "your shelves are goals",
         "five stars from me too"),
        ("audiobook or paperback?", "is it a standalone?", "what edition is this?", "any trigger warnings?",
         "is it a slow start?"),
        ("where is the light from?", "buying this today"),
        ("couldn't get into it tbh", "overhyped imo"),
        ("inkwell.club", "pagepost.books", "chapterbox.co"),
    ),
}  # fmt: skip

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
    return _in_own_words(rng, rng.choice(niche_pool if rng.random() < NICHE_SHARE else generic_pool))


# People phrase the same thought their own way; without this, real fans would look like copy-paste bots.
OPENERS = ("", "", "", "omg ", "ok ", "honestly ", "wait ", "lol ", "ahh ", "yes! ", "hmm ", "so ")
CLOSERS = ("", "", "", " 😍", "!!", " 🙌", " haha", " x", " 💛", " tbh", "...", " 🥹", " ✨")


def _in_own_words(rng: random.Random, text: str) -> str:
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


def bot_handle(rng: random.Random) -> str:
    """A bot-like handle: a name or random letters followed by five to eight digits."""
    if rng.random() < 0.6:
        stem = rng.choice(FIRST_NAMES)
    else:
        stem = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 7)))
    return f"{stem}{rng.randrange(10**4, 10**8)}"


_CUM_COMMENT_WEIGHTS = tuple(itertools.accumulate(COMMENT_WEIGHTS))
