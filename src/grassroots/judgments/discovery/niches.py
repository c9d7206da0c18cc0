"""Niches: up to three per creator from a documented taxonomy, by content similarity plus hashtags.

Each niche has a description written in the words creators use; a creator's content vector (the mean of
their bio and recent captions through all-MiniLM-L6-v2) is compared with each description's vector, and
hashtags from the niche's list add evidence. No labelled creator-niche data set exists in ``shared/data``,
so the thresholds are set by hand and the behaviour is pinned by tests over real texts (docs/accuracy.md).
Keys are ``parent/child``; filtering on a parent ("food") also finds its children ("food/baking").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

MIN_SCORE = 0.25  # below this, content says too little about any niche
MARGIN = 0.08  # second and third niches must score within this of the best
HASHTAG_WEIGHT = 0.15  # a creator using three or more of a niche's hashtags gains this much
HASHTAGS_FOR_FULL_WEIGHT = 3
MAX_NICHES = 3


@dataclass(frozen=True)
class Niche:
    """One node of the taxonomy."""

    key: str
    label: str
    description: str
    hashtags: tuple[str, ...]

    @property
    def parent(self) -> str:
        """The top-level key ("food" for "food/baking")."""
        return self.key.split("/")[0]


TAXONOMY: tuple[Niche, ...] = (
    Niche("food/baking", "Food › Baking", "home baking: sourdough bread, loaves, crumb, starter, cakes, pastry, "
          "cookies and bakes from my oven", ("baking", "sourdough", "breadbaking", "homebaker", "realbread",
          "bakersofinstagram", "cakedecorating", "pastry", "bread", "cake")),
    Niche("food/cooking", "Food › Cooking", "home cooking and recipes: dinners, meal prep, comfort food, "
          "what I cooked tonight in my kitchen", ("recipes", "homecooking", "dinner", "foodie", "cooking",
          "mealprep", "easyrecipes", "food")),
    Niche("food/vegan", "Food › Vegan", "vegan and plant-based food: tofu, lentils, dairy-free recipes, "
          "meat-free meals", ("vegan", "plantbased", "veganrecipes", "veganfood", "dairyfree", "whatveganseat")),
    Niche("food/drinks", "Food › Coffee and drinks", "coffee, tea, cocktails and drinks: latte art, espresso, "
          "brewing at home", ("coffee", "latteart", "tea", "cocktails", "espresso", "homebrew")),
    Niche("fitness/gym", "Fitness › Strength", "strength training and workouts: gym, lifting, squats, "
          "deadlifts, personal records, home workouts", ("fitness", "gymlife", "strengthtraining", "workout",
          "legday", "homeworkout", "fitfam", "fitnessmotivation")),
    Niche("fitness/running", "Fitness › Running", "running: marathon training, trail runs, race day, pace, "
          "running shoes", ("running", "runner", "marathon", "trailrunning", "runnersofinstagram")),
    Niche("fitness/yoga", "Fitness › Yoga", "yoga and mindful movement: flows, poses, stretching, "
          "breathwork, meditation", ("yoga", "yogapractice", "yogaeveryday", "meditation", "mobility")),
    Niche("beauty/skincare", "Beauty › Skincare", "skincare routines: serums, SPF, cleansers, moisturiser, "
          "sensitive skin, honest product reviews", ("skincare", "skincareroutine", "glowingskin", "spf",
          "sensitiveskin", "skincarecommunity", "cleanbeauty", "skintok")),
    Niche("beauty/makeup", "Beauty › Makeup", "makeup looks and tutorials: foundation, lipstick, eyeshadow, "
          "brushes", ("makeup", "makeuptutorial", "mua", "lipstick", "eyeshadow", "beauty")),
    Niche("fashion", "Fashion", "fashion and outfits: what I wore, style, thrifted finds, capsule wardrobe, "
          "shoes and accessories", ("ootd", "fashion", "style", "thrifted", "outfitinspo", "capsulewardrobe")),
    Niche("pets", "Pets", "pets: my dog or cat, walks, training, treats, rescue animals", ("dogsofinstagram",
          "catsofinstagram", "dog", "cat", "puppy", "rescuedog", "pets")),
    Niche("parenting", "Parenting", "parenting and family life: kids, toddlers, babies, school runs, "
          "mum and dad life", ("parenting", "momlife", "dadlife", "toddler", "motherhood", "familytime")),
    Niche("travel", "Travel", "travel: trips, cities, hotels, itineraries, backpacking, places to visit",
          ("travel", "wanderlust", "travelgram", "solotravel", "citybreak", "backpacking")),
    Niche("home/interiors", "Home › Interiors", "home and interiors: decor, renovation, DIY projects, "
          "cosy rooms, styling shelves", ("homedecor", "interiors", "diy", "renovation", "cosyhome",
          "interiordesign")),
    Niche("home/garden", "Home › Garden", "gardening and plants: houseplants, vegetable patch, growing "
          "flowers", ("gardening", "plants", "houseplants", "growyourown", "allotment", "plantsofinstagram")),
    Niche("gaming", "Gaming", "video games: streaming, playthroughs, consoles, PC builds, esports",
          ("gaming", "gamer", "twitch", "pcgaming", "nintendo", "playstation", "xbox")),
    Niche("tech", "Tech", "technology and gadgets: phones, laptops, apps, reviews of devices, coding",
          ("tech", "gadgets", "technology", "coding", "setup", "apple")),
    Niche("finance", "Finance", "personal finance: budgeting, saving money, investing, side hustles",
          ("personalfinance", "budgeting", "investing", "money", "savings", "financialfreedom")),
    Niche("outdoors", "Outdoors", "outdoors and adventure: hiking, camping, climbing, mountains, wild "
          "swimming", ("hiking", "camping", "outdoors", "climbing", "mountains", "adventure")),
    Niche("books", "Books", "books and reading: reviews, what I'm reading, book club, classic novels",
          ("books", "bookstagram", "booktok", "reading", "bookclub", "booklover")),
    Niche("music", "Music", "music: songs, covers, guitar, concerts, playlists, producing beats",
          ("music", "musician", "guitar", "singer", "cover", "newmusic")),
    Niche("art", "Art and crafts", "art and crafts: painting, drawing, illustration, knitting, pottery, "
          "handmade", ("art", "artist", "illustration", "knitting", "pottery", "handmade")),
    Niche("wellness", "Wellness", "wellness and mental health: self-care, sleep, mindfulness, healthy "
          "habits", ("wellness", "selfcare", "mentalhealth", "mindfulness", "wellbeing")),
    Niche("sustainability", "Sustainability", "sustainable living: zero waste, eco-friendly swaps, "
          "second-hand, climate", ("zerowaste", "sustainability", "ecofriendly", "sustainableliving",
          "slowfashion")),
)  # fmt: skip
BY_KEY = {n.key: n for n in TAXONOMY}


def keys_under(key: str) -> set[str]:
    """The niche keys a filter on ``key`` selects: itself and, for a parent, its children."""
    return {n.key for n in TAXONOMY if n.key == key or n.parent == key}


def hashtag_hits(hashtags: list[list[str]]) -> npt.NDArray[np.float32]:
    """(creators × niches) count of each creator's distinct hashtags that belong to each niche."""
    index: dict[str, list[int]] = {}
    for j, niche in enumerate(TAXONOMY):
        for tag in niche.hashtags:
            index.setdefault(tag, []).append(j)
    hits = np.zeros((len(hashtags), len(TAXONOMY)), dtype=np.float32)
    for i, tags in enumerate(hashtags):
        for tag in set(tags):
            for j in index.get(tag.lower(), ()):
                hits[i, j] += 1
    return hits


def niche_scores(content: npt.NDArray[np.float32], described: npt.NDArray[np.float32],
                 hits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:  # fmt: skip
    """(creators × niches) score: cosine of content and description, plus weighted hashtag evidence."""
    similarity = content @ described.T
    tags = HASHTAG_WEIGHT * np.minimum(hits / HASHTAGS_FOR_FULL_WEIGHT, 1.0)
    return np.asarray(similarity + tags, dtype=np.float32)


def assign(scores: npt.NDArray[np.float32]) -> list[list[tuple[str, float]]]:
    """Per creator, up to three (niche key, score), best first: above MIN_SCORE and within MARGIN of the best."""
    out: list[list[tuple[str, float]]] = []
    order = np.argsort(-scores, axis=1)[:, :MAX_NICHES]
    for row, top in zip(scores, order, strict=True):
        best = float(row[top[0]]) if len(top) else 0.0
        picked = [(TAXONOMY[j].key, round(float(row[j]), 3)) for j in top
                  if row[j] >= MIN_SCORE and row[j] >= best - MARGIN]  # fmt: skip
        out.append(picked)
    return out
