"""Ticket templates for `harness generate`, as data.

Each template is written for one (persona, issue, channel) triple that DOMAIN.md's rulings allow,
and carries the findings its text makes certain, or None where they are a judgement call. The
noise the generator adds never changes those findings: slots (`{order}`, `{product}` ...) vary
values, not whether an ID is there or where; typos spare the words labels hinge on; background
sentences go after the template's own text and hold no IDs, no requests and no attachments. Two additions
are the generator's: `wrong-channel` when it picks a wrong arrival channel, and `appeal-too-long`
when it pads an appeal past 200 words.

`pad` says which padding suits the text: "story" (persona background), "facts" (specific points
for an appeal), "generic" (generic appeal statements, so a generic appeal stays generic), or None
(never padded: a takedown contest or goodwill request, where a long text's findings are unclear).

Amounts are whole dollars and follower counts have no decimal point: a "." inside a number would
count as a sentence end by DOMAIN.md's letter and move `ids-not-upfront`.
"""

from __future__ import annotations

from typing import NamedTuple


class Template(NamedTuple):
    persona: str
    issue: str
    channel: str
    text: str
    findings: tuple[str, ...] | None
    attachments: tuple[str, ...] = ()
    pad: str | None = "story"


_S, _SE, _C = "shopper", "seller", "creator"
_APP, _CHAT, _FORM = "shopper_app_help", "seller_center_chat", "seller_contact_form"
_CCHAT, _CTICKET, _PROGRAM = "creator_help_chat", "creator_help_ticket", "program_team"

_ONS, _MOI, _MSN, _UP = "outcome-not-stated", "missing-order-id", "missing-shop-name", "ids-not-upfront"
_MSI, _MSKU, _MVI, _NOEV = "missing-shop-id", "missing-sku", "missing-violation-id", "no-evidence"
_HOST, _GEN, _NORULE = "hostile-tone", "generic-appeal", "no-rule-cited"

TEMPLATES: tuple[Template, ...] = (
    # --- shopper: order
    Template(_S, "order", _APP, "My {product} from {order} still shows shipped after {days} days and the tracking has not moved. Can you check with the carrier and tell me where it is?", ()),
    Template(_S, "order", _APP, "where is my package?? it says delivered but nothing is at my door", (_ONS, _MOI)),
    Template(_S, "order", _APP, "Please send me the missing {product} from {order}, the box only had the packing slip.", ()),
    Template(_S, "order", _APP, "I ordered the {product} on {date} and the tracking hasn't updated since it left the warehouse. It's been {days} days. Could you find out if it is lost and have it reshipped? This is about {order}.", (_ONS, _UP)),
    Template(_S, "order", _APP, "WHERE IS MY ORDER?? {days} days and NOTHING. this app is a total scam. {order}", (_ONS, _UP, _HOST)),
    Template(_S, "order", _APP, "my order not arrive yet, is {days} days already. Please can you check where is it, {order}. Thank you", ()),
    Template(_S, "order", _APP, "Need to change the delivery address on {order} before it ships, I moved last week.", ()),
    Template(_S, "order", _APP, "Got the wrong size: I ordered the {product} in L and got an S. Please have the seller send the right one, {order}.", ()),
    # --- shopper: refund (order ID and the seller's shop name)
    Template(_S, "refund", _APP, "I'd like a refund for {order} from {shop_name}. The {product} arrived broken and the seller hasn't answered in {days} days.", ()),
    Template(_S, "refund", _APP, "refund still not in my account, it's been {days} days since the return was accepted", (_ONS, _MOI, _MSN)),
    Template(_S, "refund", _APP, "Please refund my {amount}: the {product} from {shop_name} never arrived and the tracking stopped on {date}. It's {order}.", ()),
    Template(_S, "refund", _APP, "I returned the {product} to {shop_name} two weeks ago and they confirmed they got it. But my money still hasn't come back. Can you push the refund through? {order}", (_ONS, _UP)),
    Template(_S, "refund", _APP, "I want my money back NOW. {shop_name} sent me a FAKE {product} and you people do NOTHING. {order}", (_UP, _HOST)),
    Template(_S, "refund", _APP, "Please speed up the refund for {order} from {shop_name}, I need the money today instead of waiting out the processing period.", ("asks-shorten-wait",)),
    Template(_S, "refund", _APP, "Not a seller question even though I have a shop: I bought packaging tape from {shop_name}, {order}, and it never showed up. I'd like a refund.", ()),
    # --- shopper: return
    Template(_S, "return", _APP, "I want to return the {product} from {shop_name}, it doesn't fit. How do I start the return for {order}?", ()),
    Template(_S, "return", _APP, "the return label link just shows an error, can't print it", (_ONS, _MOI, _MSN)),
    Template(_S, "return", _APP, "Please send me a prepaid return label for {order}. The {product} from {shop_name} came in the wrong colour.", ()),
    Template(_S, "return", _APP, "The seller {shop_name} rejected my return but I filed it {days} days after delivery, inside the window. Please approve the return for {order}.", ()),
    # --- shopper: payment
    Template(_S, "payment", _APP, "I was charged twice for {order}, please refund the duplicate charge of {amount}.", ()),
    Template(_S, "payment", _APP, "my card got charged but the app says payment failed", (_ONS, _MOI)),
    Template(_S, "payment", _APP, "The payment went through on my bank statement but {order} still says awaiting payment. Please confirm the order is paid so it ships.", ()),
    Template(_S, "payment", _APP, "I bought a mic off TikTok Shop for my own videos and you CHARGED MY CARD TWICE. Refund the duplicate charge.", (_MOI, _HOST)),
    # --- shopper: cancellation
    Template(_S, "cancellation", _APP, "Please cancel {order}, I ordered the wrong size by mistake.", ()),
    Template(_S, "cancellation", _APP, "i want to cancel my order", (_MOI,)),
    Template(_S, "cancellation", _APP, "I placed an order for the {product} an hour ago and found it cheaper elsewhere. The app won't let me cancel. It is {order}, can you cancel it before it ships?", (_ONS, _UP)),
    Template(_S, "cancellation", _APP, "Cancel {order} please, the seller still hasn't shipped it after {days} days.", ()),
    # --- shopper: technical, escalation, policy disagreement
    Template(_S, "technical", _APP, "the app crashes every time I open the orders tab", (_ONS,)),
    Template(_S, "technical", _APP, "The checkout button does nothing when I tap it, tried two cards on my {device}. Can you fix it?", ()),
    Template(_S, "technical", _APP, "Promo code field shows 'system error' whenever I type anything. Please fix it so I can use my code before Sunday.", ()),
    Template(_S, "escalation", _APP, "I want to speak to a supervisor, my case got closed twice by agents who didn't read it.", ()),
    Template(_S, "escalation", _APP, "let me talk to a real person not a bot", ()),
    Template(_S, "policy_disagreement", _PROGRAM, "I know the return window closed {days} days ago but I was travelling. Could you make an exception and let me return the {product}?", ("asks-policy-exception",)),
    Template(_S, "policy_disagreement", _PROGRAM, "30 days to return is too short, you should make it 60.", None),  # a policy change as the outcome?
    Template(_S, "policy_disagreement", _PROGRAM, "The listing said final sale but the {product} doesn't fit at all. I'd like you to make an exception and accept a return just this once.", ("asks-policy-exception",)),
    Template(_S, "policy_disagreement", _PROGRAM, "Your no-returns-on-beauty policy is an ABSOLUTE RIP OFF. I want it changed.", (_HOST,)),
    # --- seller: account access (locked out: the contact form; logged in: the chat)
    Template(_SE, "account_access", _FORM, "Please unlock my seller account, {shop}. It was flagged for a suspicious login after I signed in from a new laptop.", ()),
    Template(_SE, "account_access", _FORM, "locked out of seller center, the 2fa code never arrives", (_ONS, _MSI)),
    Template(_SE, "account_access", _FORM, "The 2FA code keeps going to my old phone number. I need the verification moved to my new number so I can log back in. Shop: {shop_name}, {shop}.", (_UP,)),
    Template(_SE, "account_access", _FORM, "THIS IS RIDICULOUS. Third day locked out of my own shop and nobody answers. UNLOCK IT TODAY or I'm calling my lawyer. {shop}", (_ONS, _UP, _HOST)),
    Template(_SE, "account_access", _FORM, "Login blocked with error {error} on every attempt. Please unlock {shop}, I'm the account owner.", ()),
    Template(_SE, "account_access", _CHAT, "Logged in right now, no problem there, but I want to switch our two-step verification to an authenticator app. How do I change it? {shop}.", (_UP,)),
    # --- seller: listing (SKU or product ID; a removal needs evidence)
    Template(_SE, "listing", _CHAT, "Please reinstate {sku}, it vanished from my shop overnight. There's no violation in my records and no email, it just shows inactive.", (_NOEV,)),
    Template(_SE, "listing", _CHAT, "The listing for {sku} vanished from my storefront yesterday, no email and nothing under violations. Can you restore it? Screenshot of the empty product page is attached.", (), ("listing_missing.png",)),
    Template(_SE, "listing", _CHAT, "The price on {sku} shows $0 to buyers on mobile but {amount} in my dashboard. Please correct it before someone checks out for free.", ()),
    Template(_SE, "listing", _CHAT, "my {product} listing won't show up in search anymore, even when I type the exact title", (_ONS, _MSKU)),
    Template(_SE, "listing", _CHAT, "The variant sizes I added won't show on the listing page, only one size shows up. Tried editing it three times. {sku}", (_ONS, _UP)),
    Template(_SE, "listing", _CHAT, "Can you get my listing for {sku} reviewed and back live? It got flagged pending review: certificate required. I've attached the lab certificate and a photo of the label.", (), ("lab_certificate.pdf", "label_front.jpg")),
    Template(_SE, "listing", _CHAT, "my {product} listing got removed and i have no clue why. pls put it back up", (_MSKU, _NOEV)),
    # --- seller: shop health (shop ID)
    Template(_SE, "shop_health", _CHAT, "Can you tell me which orders dragged my late-dispatch rate up to {pct}%? {shop}. I ship everything same or next day.", ()),
    Template(_SE, "shop_health", _CHAT, "shop health score dropped and there's a warning banner now, what happened", (_ONS, _MSI)),
    Template(_SE, "shop_health", _CHAT, "Our late dispatch rate jumped overnight and I think it's counting orders the carrier scanned late. Can you tell me which orders got counted? {shop}, thanks", (_UP,)),
    Template(_SE, "shop_health", _CHAT, "Our {shop} got a penalty point yesterday for late dispatch. Which orders were counted as late? Not disputing it, I just want to fix our packing process.", ()),
    # --- seller: policy questions
    Template(_SE, "policy_question", _CHAT, "Quick question before I list anything: do {cert_item} need a certificate uploaded, or can I list them straight away?", ()),
    Template(_SE, "policy_question", _CHAT, "Are we allowed to say \"clinically proven\" in a skincare listing if our supplier ran the study?", ()),
    Template(_SE, "policy_question", _CHAT, "What return window do I have to honor as a seller, 30 days from delivery or from the order date?", ()),
    Template(_SE, "policy_question", _CHAT, "can we run a buy 2 get 1 free and a free shipping promo in our shop at the same time or does stacking them break the promo rules?", ()),
    # --- seller: payout (sent or due, missing or wrong) and payout hold (held by the platform)
    Template(_SE, "payout", _CHAT, "Our payout never arrived in the bank, {shop}. Seller Center says it was sent last Tuesday. Please trace it.", (_ONS,)),
    Template(_SE, "payout", _CHAT, "My payout for {shop} came out {amount} short this week. Please tell me exactly which order caused it.", ()),
    Template(_SE, "payout", _CHAT, "where is my payout", (_ONS, _MSI)),
    Template(_SE, "payout", _CHAT, "Please correct the payout for the week of {date}, it's {amount} less than the settled orders add up to. {shop}.", ()),
    Template(_SE, "payout_hold", _CHAT, "Please release the funds on hold for my shop ({shop}). Seller Center says settlement under review for {amount} since {date} and gives no reason.", ()),
    Template(_SE, "payout_hold", _CHAT, "why is my payout frozen", (_ONS, _MSI)),
    Template(_SE, "payout_hold", _CHAT, "My funds are in the 30-day reserve for new sellers, {shop}. Can you lift it today instead of waiting out the 30 days? I have supplier invoices due.", ("asks-shorten-wait",)),
    Template(_SE, "payout_hold", _CHAT, "my money is frozen in seller center since {days} days, it say under review. i dont know why, no email, nothing. is normal?", (_ONS, _MSI)),
    # --- seller: disputes and buyer orders (order ID, not a shop ID)
    Template(_SE, "dispute", _CHAT, "Please reverse the chargeback on {order}: the buyer claims non-delivery but tracking shows a signature on {date}. Proof of delivery attached.", (), ("proof_of_delivery.pdf",)),
    Template(_SE, "dispute", _CHAT, "Buyer opened a dispute on {order} {days} days ago. Can you speed up the decision? I'd like it closed this week.", ("asks-shorten-wait",)),
    Template(_SE, "dispute", _CHAT, "a customer filed an item-not-as-described dispute, says the hoodie color is off but it matches the listing photos exactly. please side with me on this one", (_MOI,)),
    Template(_SE, "dispute", _CHAT, "Got hit with a dispute for {amount} and the money is already gone from my balance. Buyer never even contacted me first.", (_ONS, _MOI)),
    Template(_SE, "buyer_order", _CHAT, "Can you block the return on {order}? The buyer clearly wore the boots and now wants to send them back on day 12 of the 15 day window.", ("asks-block-return",)),
    Template(_SE, "buyer_order", _CHAT, "A buyer wants to change her shipping address after the order was placed but Seller Center won't let me edit it. Can you update the address for her? My {shop} if you need it.", (_MOI, "shop-id-instead-of-order-id")),
    Template(_SE, "buyer_order", _CHAT, "Buyer says she never got her refund for {order} but on my side it shows refunded on {date}. Can you check where the refund went?", ()),
    Template(_SE, "buyer_order", _CHAT, "The buyer typed the wrong apartment number and now the parcel is on hold at the {carrier} depot. Could you help me update the address so {carrier} can redeliver? It's {order}.", (_UP,)),
    # --- seller: appeals of a named enforcement action
    Template(_SE, "enforcement_appeal", "seller_appeal", "I'm appealing {violation} on {sku}: the listing was removed under {policy}, but our listing text only repeats what is printed on the retail box. Screenshot of the listing text and the box is attached.", (), ("listing_text.png", "retail_box.jpg"), "facts"),
    Template(_SE, "enforcement_appeal", "seller_appeal", "Please remove the penalty point we got for misleading product info, it's just wrong. We're super careful with every product page, people love our stuff and we have hundreds of 5 star reviews.", (_MVI, _NOEV, _GEN, _NORULE), (), "generic"),
    Template(_SE, "enforcement_appeal", "seller_appeal", "We strongly disagree with {violation}. We have followed every single TikTok Shop rule since day one and buyers give us 5 stars constantly. It is unfair and we ask that it be reversed.", (_NOEV, _GEN, _NORULE), (), "generic"),
    Template(_SE, "enforcement_appeal", "seller_appeal", "got a penalty point for late shipment but those orders went out on time, the carrier just scanned them a day late. please remove the point.", (_MVI, _NOEV, _NORULE), (), "facts"),
    Template(_SE, "enforcement_appeal", "seller_appeal", "Our appeal on {violation} was upheld last week. I'm not disputing the facts again, but we've had a clean record for 3 years, could you reverse it as a one-time courtesy?", ("asks-goodwill-reversal",), (), None),
    Template(_SE, "enforcement_appeal", "seller_appeal", "I'm appealing my shop suspension, {violation}. I can still log in but can't list anything. The notice says it was under the Seller Performance policy for late shipments, but the late orders were held up by a carrier outage; the carrier's service alert is attached.", (), ("carrier_service_alert.pdf",), "facts"),
    Template(_SE, "enforcement_appeal", "seller_appeal", "Remove this violation NOW. We did NOTHING WRONG and your system is broken, you people are useless.", (_MVI, _NOEV, _GEN, _NORULE, _HOST), (), "generic"),
    # --- seller: no account yet, technical, escalation, policy disagreement
    Template(_SE, "general_inquiry", _FORM, "I don't have a seller account yet. Can a sole proprietor register with an SSN, or do US sellers need an EIN?", ()),
    Template(_SE, "general_inquiry", _FORM, "before we apply, is there a monthly fee to sell on tiktok shop or is it commission only? no account yet so cant use the chat", ()),
    Template(_SE, "general_inquiry", _FORM, "Applied to become a seller {days} days ago and the application still says under review, so I can't log into Seller Center yet. Is there anything else I should submit?", ()),
    Template(_SE, "general_inquiry", _FORM, "We don't have a seller account yet. We make {craft} in {city}, which documents does onboarding ask for?", ()),
    Template(_SE, "technical", _CHAT, "Seller Center shows error {error} every time I try to print shipping labels. Please fix it, I have orders waiting.", ()),
    Template(_SE, "technical", _CHAT, "the orders page in seller center loads blank since the update, tried two browsers", (_ONS,)),
    Template(_SE, "technical", _CHAT, "Our order sync from Shopify stopped on {date} and the app shows error {error}. Can you check the integration on your side?", ()),
    Template(_SE, "escalation", _CHAT, "I want this escalated to a supervisor immediately, my store has waited long enough.", ()),
    Template(_SE, "escalation", _CHAT, "Your last answer about my shop made no sense. Escalate.", ()),
    Template(_SE, "escalation", "account_manager_escalation", "Please escalate this to our account manager: we do {volume} and last week's ticket {ticket_no} came back with an answer that contradicts our own data.", ()),
    Template(_SE, "escalation", "account_manager_escalation", "Requesting escalation to my account manager. Round one on this: the agent said the missing {amount} from the {date} payout was a bank delay, but my bank confirms nothing was ever sent. We do {volume}.", None),  # does the payout need its shop ID?
    Template(_SE, "escalation", "account_manager_escalation", "Second time writing about this. We're a top seller with {volume} and the first agent's answer made no sense. Please escalate to the program manager.", (_ONS,)),
    Template(_SE, "escalation", "account_manager_escalation", "We move {volume} and your first-line agent gave us a copy-paste answer that had NOTHING TO DO WITH our question. I want this escalated to an account manager today.", (_HOST,)),
    Template(_SE, "policy_disagreement", _PROGRAM, "Can my shop be exempted from the rolling reserve policy altogether? We've had almost no returns for two years.", ("asks-policy-exception",)),
    Template(_SE, "policy_disagreement", _PROGRAM, "The restricted category rule for {restricted} makes no sense for licensed sellers like us. Please pass this to the team that sets the policy and ask them to change it.", ()),
    Template(_SE, "policy_disagreement", _PROGRAM, "We'd like an exception to list {restricted} even though the category is restricted. We hold every license for it.", ("asks-policy-exception",)),
    # --- creator: takedowns (time-sensitive: chat; with documents: ticket)
    Template(_C, "content_takedown", _CCHAT, "My video for the {brand} {product} was taken down and the launch is {when}. Can someone tell me exactly which part I need to edit so I can repost before then?", ()),
    Template(_C, "content_takedown", _CCHAT, "going live {when} and my promo clip for the live got removed for 'dangerous acts'?? it's literally me doing a skincare routine lol. pls put it back before then", (_ONS, _NOEV, _NORULE), (), None),
    Template(_C, "content_takedown", _CCHAT, "Need my product video for the {product} restored before my live {when}. It was pulled for \"unverified health claims\" but I never said it treats or cures anything.", (_NOEV, _NORULE), (), None),
    Template(_C, "content_takedown", _CCHAT, "WHY DO YOU KEEP REMOVING MY VIDEOS. the brand launch is {when} and my main promo is gone again. restore it now or I'm done with this garbage platform", (_ONS, _HOST), (), None),
    Template(_C, "content_takedown", _CTICKET, "Attached is the notice I got when my video for the {brand} {product} was removed. Could you confirm whether this counts as a strike and what I should change before reposting?", (), ("takedown_notice.png",)),
    Template(_C, "content_takedown", _CTICKET, "Got 2 videos removed this week, both notices attached. Does this count as strikes on my affiliate account? Not contesting them, I just need to know where I stand.", (), ("notice_video1.png", "notice_video2.png")),
    Template(_C, "content_takedown", _CTICKET, "video removed, screenshot of the notice attached. it doesnt say which part broke the rules, can you tell me what to edit so i can repost?", (), ("removal_notice.png",)),
    # --- creator: samples
    Template(_C, "sample_shipment", _CCHAT, "My sample of the {brand} {product} still hasn't arrived and my video is due {when}. Can you ask the seller to ship it today?", ()),
    Template(_C, "sample_shipment", _CCHAT, "the sample i requested 3 weeks ago still says processing", (_ONS,)),
    Template(_C, "sample_shipment", _CCHAT, "The brand approved my sample request for the {product} but it never shipped, and the campaign ends {when}. Please get it sent or cancel it so it doesn't count against me.", ()),
    Template(_C, "sample_shipment", _CCHAT, "Please clear the unreturned sample flag on my account. I shipped the {brand} sample back on {date}, {tracking}, but the seller says it never arrived.", None),  # is a tracking number proof?
    Template(_C, "sample_shipment", _CTICKET, "The {brand} {product} sample was sent back to the seller on {date} and the {carrier} drop-off receipt is attached. Please update my sample status to returned.", (), ("dropoff_receipt.jpg",)),
    Template(_C, "sample_shipment", _CTICKET, "sample showed up broken, photos attached. can they send a replacement so i can still make the video?", (), ("broken_box.jpg", "broken_item.jpg")),
    Template(_C, "sample_shipment", _CTICKET, "Please clear the unreturned samples flag on my account. I dropped both samples off at {carrier} on {date} and the receipt with {tracking} is attached.", (), ("return_receipt.pdf",)),
    # --- creator: appeals of a named enforcement decision
    Template(_C, "creator_appeal", "creator_appeal", "I'm appealing {violation} on my video for the {brand} {product}. The notice cites {creator_policy}, but the claim in my video is printed on the manufacturer's packaging, photo attached.", (), ("packaging_photo.jpg",), "facts"),
    Template(_C, "creator_appeal", "creator_appeal", "Please reverse the 7-day LIVE restriction I got on Tuesday for \"inappropriate content\". I didn't do anything wrong and I always follow the community guidelines. This is really unfair to creators like me who play by the rules.", (_MVI, _NOEV, _GEN, _NORULE), (), "generic"),
    Template(_C, "creator_appeal", "creator_appeal", "I want to contest the copyright restriction on my video for the {product}. The background track is from the Commercial Music Library, which is cleared for commercial use. It is {violation}.", (_UP, _NOEV, _NORULE), (), "facts"),
    Template(_C, "creator_appeal", "creator_appeal", "Contesting {violation}: my video was restricted under {creator_policy} for showing a price, but the price on screen matches the product page exactly. Screenshots of both are attached.", (), ("video_frame.png", "product_page.png"), "facts"),
    Template(_C, "creator_appeal", "creator_appeal", "Reverse the strike on my video right now. I did NOTHING WRONG and I always follow the rules, you people are clueless.", (_MVI, _NOEV, _GEN, _NORULE, _HOST), (), "generic"),
    # --- creator: partnership (large following: the program team; otherwise the chat)
    Template(_C, "partnership", _CCHAT, "My affiliate commission for the {n} orders from my {brand} video in {month} never showed up in my earnings. Please correct it.", ()),
    Template(_C, "partnership", _CCHAT, "applied to the creator program {days} days ago and still no answer", (_ONS,)),
    Template(_C, "partnership", _CCHAT, "I have {small_following} and my application to the affiliate program was rejected. Can you tell me why it was rejected?", ()),
    Template(_C, "partnership", "creator_program_escalation", "I have {big_following} and I'd like to be considered for the creator partnership program for beauty brands. Could you route me to the creator program team?", ()),
    Template(_C, "partnership", "creator_program_escalation", "I'm a creator with {big_following}. The {brand} brand cut my commission rate from 20% to 8% halfway through our collaboration without notice, and I'd like the partnership team to restore the original rate for sales already made.", ()),
    Template(_C, "partnership", "creator_program_escalation", "{big_following}, TikTok Shop affiliate. Commissions from the {month} campaign with {brand} still haven't settled. I need this escalated to whoever manages creator partnerships.", (_ONS,)),
    # --- creator: technical, escalation, policy disagreement
    Template(_C, "technical", _CCHAT, "The Add link button is greyed out for the {brand} {product} in Studio even though my sample request was approved. Can you unlock it?", ()),
    Template(_C, "technical", _CCHAT, "Studio keeps crashing when I open the product showcase tab on my {device}", (_ONS,)),
    Template(_C, "technical", _CTICKET, "The showcase page in TikTok Shop Studio shows error {error} when I add products, screen recording attached. Please fix it.", (), ("showcase_error.mp4",)),
    Template(_C, "escalation", _CCHAT, "I've opened 4 chats in the creator Help Center and keep getting the same copy-paste reply. Please escalate my case to a supervisor.", ()),
    Template(_C, "policy_disagreement", _PROGRAM, "I'm not appealing my violation, I understand why my before/after video got flagged. What I'm asking is for the policy banning before/after photos for skincare to be reconsidered.", ()),
    Template(_C, "policy_disagreement", _PROGRAM, "Could you make an exception to the branded content rules for my account? My audience knows my sponsored posts are sponsored.", ("asks-policy-exception",)),
)

#: Values for the word slots; the ID slots are in `ids.ID_SLOTS`.
WORDS: dict[str, tuple[str, ...]] = {
    "product": ("phone case", "LED desk lamp", "yoga mat", "air fryer", "hoodie", "lip oil", "hair straightener",
                "wireless earbuds", "water bottle", "ring light", "throw blanket", "vitamin C serum", "kids' sneakers",
                "standing desk mat", "bamboo toothbrush set", "mini projector"),
    "brand": ("Glowra", "Nimbus", "Tula", "Kitchora", "Velora", "Brightbean", "Oakhollow", "Solenne", "Hydra", "Lumen"),
    "shop_name": ("Bloom & Birch Candles", "LumaKids", "Nordic Nest Home", "KitchenPro", "TapeKing Supply",
                  "Velvet Curl Co", "GreenLeaf Supplements", "Cozy Corner Decor", "Urban Thread", "PetPals Outlet"),
    "days": tuple(str(d) for d in range(3, 22)),
    "amount": ("$18", "$24", "$36", "$49", "$72", "$129", "$240", "$415", "$1,240", "$3,400"),
    "date": ("March 3", "the 2nd", "6/20", "May 14", "last Monday", "9/14", "October 1"),
    "month": ("January", "March", "May", "July", "September", "November"),
    "when": ("tomorrow at 7pm", "tonight at 9", "on Friday morning", "in two hours", "at noon tomorrow"),
    "big_following": ("240k followers", "1M followers", "about 310k followers", "650k followers",
                      "over 2M followers", "roughly 150k followers"),
    "small_following": ("2,300 followers", "about 8k followers", "14k followers", "900 followers"),
    "volume": ("about 8k orders a month", "~2,000 orders a week", "900 orders a day", "20k+ orders a month",
               "roughly 12,000 orders a month"),
    "policy": ("the Prohibited Claims policy", "the Intellectual Property policy",
               "the Misleading Product Information policy", "the Product Safety policy"),
    "creator_policy": ("the Misleading Product Claims policy", "the Branded Content policy",
                       "the Shoppable Video Pricing rule"),
    "restricted": ("CBD gummies", "hunting knives", "diet supplements", "vape accessories", "used cosmetics"),
    "cert_item": ("kids' bike helmets", "ceramic mugs", "LED face masks", "baby teethers", "sunscreen sticks"),
    "craft": ("handmade soap", "scented candles", "beaded jewelry", "dog treats"),
    "city": ("Ohio", "Austin", "Ontario", "Shenzhen", "Miami"),
    "carrier": ("USPS", "UPS", "FedEx"),
    "ticket_no": ("#88219034", "#SC-88231", "#5542100", "#66091234"),
    "error": ("ERR_5021", "AUTH_LOCK_403", "code 21008106", "SYS-1102"),
    "device": ("iPhone 13", "Pixel 7", "Galaxy S22", "iPad"),
    "pct": ("7", "9", "11", "14"),
    "n": ("12", "30", "45", "118"),
}

GREETINGS = ("Hi,\n", "Hello,\n", "hi - ", "Hey team, ", "Hello support team,\n", "Good morning.\n",
             "Dear TikTok Shop Support,\n", "hi there!! ", "Hello 🙏\n")
SIGNOFFS = ("\nThanks", " Thanks!", "\nThank you.", "\n\nRegards,\n{name}", " thx", "\nBest, {name}", " 🙏")
NAMES = ("Maria", "James", "Priya", "Chen", "Aisha", "Tom", "Lucia", "Daniel")

#: Padding, by kind and persona. None of it names an ID, asks for anything or mentions files.
PADDING: dict[tuple[str, str], tuple[str, ...]] = {
    ("story", _S): (
        "It was meant as a birthday present for my niece.",
        "I have been shopping on the app for about a year and usually everything goes fine.",
        "I work night shifts so I can only check messages in the morning.",
        "I already read the help pages before writing this.",
        "My sister bought the same thing last month and hers came in a few days.",
        "It was the first time I tried this brand.",
        "I live in an apartment building and the front desk keeps all the parcels.",
        "A friend recommended it to me and I was really looking forward to it.",
        "I am writing from my work computer because my phone screen is cracked.",
        "English is not my first language, sorry for any mistakes.",
        "I have two small kids so I don't always have time to sit down and sort things out.",
        "This is the first time I have had to contact support.",
    ),
    ("story", _SE): (
        "We are a small team of three and work out of our garage.",
        "We have been on TikTok Shop since last spring.",
        "I handle the shop myself in the evenings after my day job.",
        "We also sell at two local markets on the weekends.",
        "My business partner usually handles support but she is on holiday.",
        "I read through the seller university articles before writing this.",
        "We moved to a bigger workshop over the summer.",
        "English is my second language, sorry for any mistakes.",
        "This is the first time we have had to contact support.",
        "We are a family business and my son helps out after school.",
        "We started the shop during the pandemic and it has grown slowly since.",
        "I am writing from my phone because I am away from the office.",
    ),
    ("story", _C): (
        "I mostly post kitchen gadget reviews, three videos a week.",
        "I started doing affiliate videos last year.",
        "I film everything in my living room with a ring light and my phone.",
        "My audience is mostly parents looking for practical stuff.",
        "I edit my videos on the weekend and schedule them for the week.",
        "This is my main side income right now.",
        "I try to show every product honestly, including what I don't like.",
        "I usually go live twice a week in the evening.",
        "I read the creator help articles before writing this.",
        "My partner helps me with lighting and sound.",
        "English is my second language, sorry for any mistakes.",
        "This is the first time I have had to contact creator support.",
    ),
    ("facts", _SE): (
        "The listing text reads exactly as it did on the day it was approved.",
        "The wording on the box matches the wording on the listing word for word.",
        "The product photo shows the retail packaging, not a mock-up.",
        "Our supplier's documentation lists the same ingredient percentages as the label.",
        "We changed the main image two days before the notice and nothing else.",
        "The lab test covers the exact model number shown on the listing.",
        "The same product is sold in the same packaging by large retail chains in the US.",
        "The notice quotes a phrase that does not appear anywhere in our current description.",
        "The units were bought from the brand's US distributor in February.",
        "The dimensions and weight on the listing match the shipping labels of every order.",
        "The claim on the listing is limited to the product itself and says nothing about health.",
        "The orders in question were scanned by the carrier the day after we handed them over.",
    ),
    ("facts", _C): (
        "The video shows the product being used the way the brand's instructions describe.",
        "I read the brand's claims from their own product page and did not add any.",
        "The price on screen matches the listing on the day I posted.",
        "No other creator's content was used in the video.",
        "The music in the video was picked from the commercial library inside the app.",
        "The brand reviewed the script before I filmed it and asked for no changes.",
        "The clip was filmed in one take in my kitchen and nothing was edited in.",
        "The product link in the video goes to the brand's official shop.",
        "The same wording appears on the product's packaging, which is shown in the video.",
        "My caption repeats the product title and adds nothing else.",
    ),
    ("generic", _SE): (
        "We have always followed every rule on the platform.",
        "Our customers love our products and leave great reviews.",
        "This is clearly a mistake by the system.",
        "We are honest sellers and have never had problems before.",
        "Please look at this again with a human eye.",
        "We put our heart into every order we send out.",
        "This is very unfair to small businesses like ours.",
        "We did nothing wrong and we don't deserve this.",
        "Our sales went down a lot because of this and we have bills to pay.",
        "We have always been honest and we will always be honest.",
    ),
    ("generic", _C): (
        "I always follow the community guidelines.",
        "My followers trust me and love my content.",
        "This is clearly a mistake by the system.",
        "I have never had a problem before this.",
        "Please look at this again with a human eye.",
        "I put a lot of work into every video.",
        "This is very unfair to small creators like me.",
        "I did nothing wrong and I don't deserve this.",
        "This restriction is hurting my income a lot.",
        "I have always been honest with my audience.",
    ),
}
